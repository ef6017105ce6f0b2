// Worker-thread entry for the decode pool (main/data/decode-pool.ts): decodes a picture and
// normalises it to a 28×28 sample off the main thread, so imports use every core.
import { parentPort } from 'node:worker_threads';
import { UserError, messageOf } from '../util/errors';
import { decodeImage } from './image-decode';
import { normalizeDigit } from './normalize';

export interface DecodeRequest {
  id: number;
  buffer: Uint8Array;
  name: string;
}

export type DecodeReply = { id: number; pixels: Uint8Array } | { id: number; error: string; user: boolean };

const port = parentPort;
if (port) {
  port.on('message', (m: DecodeRequest) => {
    void (async () => {
      let reply: DecodeReply;
      try {
        const img = await decodeImage({ buffer: Buffer.from(m.buffer.buffer, m.buffer.byteOffset, m.buffer.length), name: m.name });
        reply = { id: m.id, pixels: normalizeDigit(img.gray, img.width, img.height) };
      } catch (err) {
        reply = { id: m.id, error: messageOf(err), user: err instanceof UserError };
      }
      port.postMessage(reply, 'pixels' in reply ? [reply.pixels.buffer as ArrayBuffer] : []);
    })();
  });
}
