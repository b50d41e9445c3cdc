'use strict';
// The permessage-deflate settings of the Node peers, by mode. ws compresses only messages of at least
// `threshold` bytes (1024 by default): 0 makes it compress every one.
module.exports = {
  DEFLATE_SIZES: [0, 1, 125, 126, 1000, 65535, 65536, 1 << 20],
  MODES: {
    defaults: { threshold: 0 },
    windows10: { threshold: 0, serverMaxWindowBits: 10, clientMaxWindowBits: 10 },
    nocontext: { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true },
  },
};
