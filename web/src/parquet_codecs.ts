// hyparquet's decompressors for every codec the writer uses. Snappy is left to hyparquet's own
// JavaScript decoder, and the others are imported one module at a time: hyparquet-compressors'
// index builds its WebAssembly snappy decoder as it loads, which the console's
// Content-Security-Policy (no 'wasm-unsafe-eval') refuses.
import type { Compressors } from 'hyparquet';
import { decompress as decompressZstd } from 'fzstd';
import { decompressBrotli } from 'hyparquet-compressors/src/brotli.js';
import { gunzip } from 'hyparquet-compressors/src/gzip.js';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';

export const compressors: Compressors = {
  GZIP: (input: Uint8Array, length: number) => gunzip(input, new Uint8Array(length)),
  BROTLI: decompressBrotli,
  ZSTD: (input: Uint8Array) => decompressZstd(input),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
