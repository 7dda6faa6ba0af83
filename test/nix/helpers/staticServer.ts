// A binary cache over HTTP on 127.0.0.1: a static file server for a `nix copy --to file://` folder.
// The nix tier runs it as a separate process (`node staticServer.js DIR`) so that the synchronous
// Nix calls the tests make cannot stall it. Prints its port, then serves until killed.
// `GET /__stats` answers {connections, requests}: how many connections the requests needed.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
let connections = 0;
let requests = 0;

const server = http.createServer((request, response) => {
  const pathname = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
  if (pathname === '/__stats') {
    response.end(JSON.stringify({ connections, requests }));
    return;
  }
  requests++;
  const file = path.join(root, pathname);
  if (!file.startsWith(`${root}${path.sep}`)) {
    response.writeHead(403).end();
    return;
  }
  fs.readFile(file, (error, data) => {
    if (error) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': 'text/plain' }).end(data);
  });
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
