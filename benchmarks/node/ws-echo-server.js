'use strict';
// Node's ws as a bench echo server for benchmarks/run.sh: node ws-echo-server.js PORT [deflate].
// Echoes every message with its opcode and prints "listening node-ws[-deflate] PORT" once it accepts.
// With "deflate": permessage-deflate at zlib level 6, compressing messages of 256 bytes and more (as the bench's
// Duplex and Netty servers do), with whatever context takeover the client offers. ws is found through NODE_PATH
// (run.sh points it at autobahn/src/test/peers/node/node_modules, which .ci/install-peers fills).
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2]);
const deflate = process.argv[3] === 'deflate';
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node ws-echo-server.js PORT [deflate]');
  process.exit(64);
}
const wss = new WebSocketServer({
  host: '0.0.0.0',
  port,
  backlog: 1024,
  maxPayload: 16 << 20,
  perMessageDeflate: deflate ? { zlibDeflateOptions: { level: 6 }, threshold: 256 } : false,
});
wss.on('listening', () => console.log(`listening node-ws${deflate ? '-deflate' : ''} ${port}`));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', (error) => console.error('connection error: ' + error.message));
});
