// A tiny static file server for the browser tests: GET and HEAD of the files
// under ROOT, with Range requests (206, one range) as ReplayWeb.page uses to
// read a WACZ.  Listens on 127.0.0.1, a free port; prints "port N" once
// listening.  Test tooling only.
//   node serve.mjs ROOT
import { createServer } from 'node:http';
import { open, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const root = process.argv[2];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'application/javascript',
  '.json': 'application/json', '.wacz': 'application/wacz',
  '.css': 'text/css', '.png': 'image/png',
};

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const rel = normalize(path === '/' ? '/index.html' : path);
  if (rel.includes('..') || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(400).end();
    return;
  }
  const file = join(root, rel);
  let st;
  try {
    st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  let start = 0, end = st.size - 1, status = 200;
  const headers = {
    'Content-Type': types[extname(file)] || 'application/octet-stream',
    'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store',
  };
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
  if (m && (m[1] || m[2])) {
    if (m[1]) {
      start = +m[1];
      if (m[2]) end = Math.min(+m[2], st.size - 1);
    } else {
      start = Math.max(0, st.size - +m[2]);
    }
    if (start > end || start >= st.size) {
      res.writeHead(416, { 'Content-Range': `bytes */${st.size}` }).end();
      return;
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
  }
  headers['Content-Length'] = String(end - start + 1);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  const fh = await open(file, 'r');
  const stream = fh.createReadStream({ start, end });
  stream.on('close', () => fh.close().catch(() => {}));
  stream.pipe(res);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`port ${server.address().port}`);
});
