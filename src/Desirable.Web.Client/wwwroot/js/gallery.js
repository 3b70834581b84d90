// The browser-side half of the gallery: what Blazor cannot do without holding files in WebAssembly memory (uploads
// stream from the File object through XMLHttpRequest, which also reports progress) or without polling the DOM
// (infinite scroll, swipes, the modal dialog). Everything decided about a file (its limit, its type, its turn in the
// queue) is decided in .NET; this module only carries bytes and events.

const files = new Map();
const requests = new Map();
let nextId = 1;

// Files dropped anywhere on the page or picked with the input: kept here, described to .NET.
export function attachUploads(input, page, dotnet) {
    const add = list => {
        const described = [];
        for (const file of list) {
            const id = `f${nextId++}`;
            files.set(id, file);
            described.push({ id, name: file.name, size: file.size, type: file.type });
        }
        if (described.length > 0) {
            dotnet.invokeMethodAsync('FilesAdded', described);
        }
    };
    const hasFiles = e => e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const onChange = () => { add(input.files); input.value = ''; };
    const onDragOver = e => {
        if (hasFiles(e)) {
            e.preventDefault();
            page.classList.add('dropping');
        }
    };
    const onDragLeave = e => {
        if (e.relatedTarget === null) {
            page.classList.remove('dropping');
        }
    };
    const onDrop = e => {
        page.classList.remove('dropping');
        if (hasFiles(e)) {
            e.preventDefault();
            add(e.dataTransfer.files);
        }
    };
    input.addEventListener('change', onChange);
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('dragleave', onDragLeave);
    document.addEventListener('drop', onDrop);
    return {
        dispose() {
            input.removeEventListener('change', onChange);
            document.removeEventListener('dragover', onDragOver);
            document.removeEventListener('dragleave', onDragLeave);
            document.removeEventListener('drop', onDrop);
        },
    };
}

// Opens the browser's file picker for the (visually hidden) input.
export function pick(input) {
    input.click();
}

// Sends one kept file as the API's multipart upload; progress goes to .NET at most five times a second. Resolves
// with the status and the body (the item, or a problem detail); status 0 means the request did not complete.
export function upload(id, url, token, dotnet) {
    const file = files.get(id);
    if (!file) {
        return Promise.resolve({ status: 0, body: null, cancelled: false });
    }
    return new Promise(resolve => {
        const request = new XMLHttpRequest();
        requests.set(id, request);
        let reported = 0;
        request.upload.addEventListener('progress', e => {
            const now = performance.now();
            if (now - reported > 200 || e.loaded === e.total) {
                reported = now;
                dotnet.invokeMethodAsync('UploadProgress', id, e.loaded, e.total);
            }
        });
        const done = cancelled => {
            requests.delete(id);
            files.delete(id);
            resolve({ status: cancelled ? 0 : request.status, body: cancelled ? null : request.responseText, cancelled });
        };
        request.addEventListener('load', () => done(false));
        request.addEventListener('error', () => done(false));
        request.addEventListener('abort', () => done(true));
        request.open('POST', url);
        request.setRequestHeader('Authorization', `Bearer ${token}`);
        const form = new FormData();
        form.append('file', file, file.name);
        request.send(form);
    });
}

export function cancel(id) {
    const request = requests.get(id);
    if (request) {
        request.abort();
    }
    files.delete(id);
}

// Calls .NET when the sentinel (the end of the grid) comes within a screen of the viewport.
export function observeEnd(sentinel, dotnet) {
    const observer = new IntersectionObserver(entries => {
        if (entries.some(e => e.isIntersecting)) {
            dotnet.invokeMethodAsync('EndReached');
        }
    }, { rootMargin: '100% 0px' });
    observer.observe(sentinel);
    return {
        // An observer reports changes only: a page that leaves the end within reach would never be followed by the next.
        // The next page waits for the thumbnails on screen (a second at most): rendering it holds the page's only
        // thread, which would keep them from painting.
        recheck: () => {
            const onScreen = [...document.querySelectorAll('.tile img')]
                .filter(img => !img.complete && img.getBoundingClientRect().top < window.innerHeight);
            const painted = onScreen.map(img => new Promise(done => {
                img.addEventListener('load', done, { once: true });
                img.addEventListener('error', done, { once: true });
            }));
            const atMost = new Promise(done => setTimeout(done, 1000));
            Promise.race([Promise.all(painted), atMost]).then(() => {
                observer.unobserve(sentinel);
                observer.observe(sentinel);
            });
        },
        dispose: () => observer.disconnect(),
    };
}

// The viewer: a modal dialog (focus stays inside, Escape closes it), horizontal swipes for next and previous.
export function openViewer(dialog, dotnet) {
    if (!dialog.open) {
        dialog.showModal();
    }
    let start = null;
    const onDown = e => { start = { x: e.clientX, y: e.clientY }; };
    const onUp = e => {
        if (start === null) {
            return;
        }
        const dx = e.clientX - start.x;
        const dy = e.clientY - start.y;
        start = null;
        if (Math.abs(dx) > 50 && Math.abs(dx) > 2 * Math.abs(dy)) {
            dotnet.invokeMethodAsync('Step', dx < 0 ? 1 : -1);
        }
    };
    const onCancel = e => { e.preventDefault(); dotnet.invokeMethodAsync('CloseRequested'); };
    // Arrow keys step through the items wherever the focus is, the video's controls included (captured before them:
    // seeking has the controls' own slider), and when the focused button went away with the item it belonged to.
    const onKey = e => {
        if (dialog.open && (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !(e.target instanceof HTMLInputElement) && !(e.target instanceof HTMLSelectElement)) {
            e.preventDefault();
            e.stopPropagation();
            dotnet.invokeMethodAsync('Step', e.key === 'ArrowRight' ? 1 : -1);
        }
    };
    dialog.addEventListener('pointerdown', onDown);
    dialog.addEventListener('pointerup', onUp);
    dialog.addEventListener('cancel', onCancel);
    document.addEventListener('keydown', onKey, true);
    return {
        close() {
            dialog.removeEventListener('pointerdown', onDown);
            dialog.removeEventListener('pointerup', onUp);
            dialog.removeEventListener('cancel', onCancel);
            document.removeEventListener('keydown', onKey, true);
            if (dialog.open) {
                dialog.close();
            }
        },
    };
}
