// fauxqs (2.4.1) wakes every 20 ms for as long as a ReceiveMessage waits, to move delayed and timed-out messages back
// onto the queue. The processor's long poll always waits, so the idle emulator woke 50 times a second for ever (about
// 1% of a core, bench/Desirable.FootprintBench). Here the timer wakes at the next such deadline instead (never more
// often than every 20 ms, as before) and once a second when nothing is due; a message sent, delayed, received or
// given a new visibility timeout while a receive waits sets the timer again. Messages become visible when they did.
import { SqsQueue } from "./node_modules/fauxqs/dist/sqs/sqsStore.js";

const shortest = 20;
const longest = 1000;

if (typeof SqsQueue.prototype.startPollTimerIfNeeded !== "function" || typeof SqsQueue.prototype.processTimers !== "function") {
  throw new Error("fauxqs changed: SqsQueue has no poll timer to replace (src/Desirable.Hosting/Emulator/quiet-long-polls.mjs).");
}

function nextDeadline(queue) {
  let next = Infinity;
  for (const message of queue.delayedMessages ?? []) {
    next = Math.min(next, message.delayUntil ?? 0);
  }
  for (const messages of queue.fifoDelayed?.values() ?? []) {
    for (const message of messages) {
      next = Math.min(next, message.delayUntil ?? 0);
    }
  }
  for (const entry of queue.inflightMessages?.values() ?? []) {
    next = Math.min(next, entry.visibilityDeadline);
  }
  return next;
}

function schedule(queue) {
  const wait = Math.min(longest, Math.max(shortest, nextDeadline(queue) - Date.now()));
  queue.pollTimer = setTimeout(() => {
    queue.pollTimer = undefined;
    queue.processTimers();
    if (queue.pollWaiters.length > 0) {
      schedule(queue);
    }
  }, wait);
}

SqsQueue.prototype.startPollTimerIfNeeded = function () {
  if (!this.pollTimer) {
    schedule(this);
  }
};

// A new deadline while a receive waits: wake for it rather than at the end of a longer sleep.
for (const method of ["enqueue", "dequeue", "dequeueFifo", "changeVisibility"]) {
  const original = SqsQueue.prototype[method];
  SqsQueue.prototype[method] = function (...args) {
    const result = original.apply(this, args);
    if (this.pollTimer) {
      clearTimeout(this.pollTimer);
      schedule(this);
    }
    return result;
  };
}
