// A very small WebAssembly writer: enough to build, at run time, a module of a few loops over
// 128-bit SIMD vectors that works on the WASM backend's own memory (imported, so tensors are read
// and written in place, never copied). The Winograd transforms (kernels.ts) are written with it:
// they are data movement plus additions, which plain JavaScript runs ~5× slower than SIMD, and
// there is no WebAssembly toolchain to assume on a developer's machine, so the bytes are made here.
// Only the instructions the kernels use are here; the encoding is the WebAssembly 2.0 binary format.

const I32 = 0x7f;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

/** A local variable's index; v128 and i32 locals are declared separately. */
export type Local = number;

/** v128 locals every function declares (unused ones cost nothing); i32 locals come after them. */
const V128_SLOTS = 64;

/** One function's body, written instruction by instruction (a stack machine, as in the format). */
export class FunctionWriter {
  readonly code: number[] = [];
  private i32Locals = 0;
  private v128Locals = 0;

  constructor(readonly params: number) {}

  /** A new i32 local. */
  i32(): Local {
    return this.params + V128_SLOTS + this.i32Locals++;
  }

  /** A new v128 local. */
  v128(): Local {
    if (this.v128Locals === V128_SLOTS) throw new Error('wasm-module: too many v128 locals');
    return this.params + this.v128Locals++;
  }

  private idx(l: Local): number[] {
    return uleb(l);
  }

  get(l: Local): this {
    this.code.push(0x20, ...this.idx(l));
    return this;
  }
  set(l: Local): this {
    this.code.push(0x21, ...this.idx(l));
    return this;
  }
  tee(l: Local): this {
    this.code.push(0x22, ...this.idx(l));
    return this;
  }
  const(n: number): this {
    this.code.push(0x41, ...sleb(n | 0));
    return this;
  }
  add(): this {
    this.code.push(0x6a);
    return this;
  }
  sub(): this {
    this.code.push(0x6b);
    return this;
  }
  /** l += by (i32). */
  bump(l: Local, by: number): this {
    return this.get(l).const(by).add().set(l);
  }
  /** `count` times (count ≥ 1, held in `counter`, which counts down), the body. */
  repeat(counter: Local, body: () => void): this {
    this.code.push(0x03, 0x40); // loop
    body();
    this.get(counter).const(1).sub().tee(counter);
    this.code.push(0x0d, 0x00); // br_if 0: again while not zero
    this.code.push(0x0b); // end
    return this;
  }
  /** v128.load from (address on the stack) + offset. */
  load(offset: number): this {
    this.code.push(0xfd, ...uleb(0x00), 4, ...uleb(offset));
    return this;
  }
  /** v128.store of (address, value) on the stack at address + offset. */
  store(offset: number): this {
    this.code.push(0xfd, ...uleb(0x0b), 4, ...uleb(offset));
    return this;
  }
  /** f32.load from (address on the stack) + offset, splat to four lanes. */
  loadSplat(offset: number): this {
    this.code.push(0x2a, 2, ...uleb(offset), 0xfd, ...uleb(0x13));
    return this;
  }
  zero(): this {
    this.code.push(0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0));
    return this;
  }
  fadd(): this {
    this.code.push(0xfd, ...uleb(0xe4));
    return this;
  }
  fsub(): this {
    this.code.push(0xfd, ...uleb(0xe5));
    return this;
  }
  fmul(): this {
    this.code.push(0xfd, ...uleb(0xe6));
    return this;
  }
  /** f32x4.pmax: b > a ? b : a, lane by lane (one instruction on x86; no NaN handling needed here). */
  fmax(): this {
    this.code.push(0xfd, ...uleb(0xeb));
    return this;
  }

  finish(): number[] {
    const locals: number[][] = [[...uleb(V128_SLOTS), V128]];
    if (this.i32Locals) locals.push([...uleb(this.i32Locals), I32]);
    const body = [...vec(locals), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/**
 * A module importing `env.memory` and exporting the given functions, all of i32 parameters and no
 * result. Returns the bytes, for new WebAssembly.Module().
 */
export function moduleBytes(functions: { name: string; writer: FunctionWriter }[]): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const types = functions.map((f) => [0x60, ...vec(new Array(f.writer.params).fill([I32])), 0x00]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])), // memory, min 1 page, no max
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map((f) => f.writer.finish()))),
  ];
  return new Uint8Array(bytes);
}
