// Starts fauxqs with persistence. Its own CLI ignores FAUXQS_DATA_DIR, so this passes the options through.
// SQS and SNS state lives in SQLite under FAUXQS_DATA_DIR; S3 objects are plain files under FAUXQS_S3_STORAGE_DIR,
// loaded on demand, so large media never sit in the emulator's memory.
import net from "node:net";
import { startFauxqs } from "fauxqs";
// Long polls without a 20 ms timer (why in the file).
import "./quiet-long-polls.mjs";

// fauxqs listens on every interface (startFauxqs fixes 0.0.0.0) and checks no credentials, so anyone on the
// developer's network could read and delete their local media. Its listen call comes through here and stays on
// loopback, where the AppHost and the tests reach it.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (options, ...rest) {
  if (options && typeof options === "object" && options.host === "0.0.0.0") {
    options = { ...options, host: "127.0.0.1" };
  }
  return listen.call(this, options, ...rest);
};

const server = await startFauxqs({
  port: Number.parseInt(process.env.FAUXQS_PORT ?? "4566", 10),
  dataDir: process.env.FAUXQS_DATA_DIR || undefined,
  s3StorageDir: process.env.FAUXQS_S3_STORAGE_DIR || undefined,
  logger: process.env.FAUXQS_LOGGER === "true",
});

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
