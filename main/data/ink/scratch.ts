// Scratch buffers shared by the ink steps. Reused across calls: importing 21,000 photos would
// otherwise churn ~100 KB of garbage per photo, and the heap would balloon between collections.
// The steps are synchronous, so one set per thread (module instance) is safe. Slots are used one
// after another, never nested.
const f32Slots: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
let i32Slot = new Int32Array(0);
let i32Stack = new Int32Array(0);
let f64Slot = new Float64Array(0);

export function scratchF64(n: number): Float64Array {
  if (f64Slot.length < n) f64Slot = new Float64Array(Math.ceil(n * 1.25));
  return f64Slot.subarray(0, n);
}

export function scratchF32(slot: 0 | 1, n: number): Float32Array {
  if (f32Slots[slot]!.length < n) f32Slots[slot] = new Float32Array(Math.ceil(n * 1.25));
  return f32Slots[slot]!.subarray(0, n);
}

export function scratchI32(n: number): Int32Array {
  if (i32Slot.length < n) i32Slot = new Int32Array(Math.ceil(n * 1.25));
  return i32Slot.subarray(0, n);
}

/** A stack of at least n entries for flood fills (its own slot: used while scratchI32 holds labels). */
export function scratchStack(n: number): Int32Array {
  if (i32Stack.length < n) i32Stack = new Int32Array(Math.ceil(n * 1.25));
  return i32Stack;
}
