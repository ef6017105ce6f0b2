// Builds main/ml-process/kernels/simd/binary.ts: a small WebAssembly SIMD module of our own for the
// element-wise training kernels (batch norm with or without a fused ReLU, per-channel sums, the
// 2×2 max-pool gradient). It works in place on the WASM backend's own memory, so no copies: in plain
// JavaScript these passes ran at 2–7 ns per element, ~20× slower than the backend's SIMD kernels.
//
// The source is the LLVM IR below (explicit <4 x float> vectors: every kernel needs the channel
// count to be a multiple of 4 and falls back to JavaScript otherwise), compiled with LLVM 14's opt
// and llc into a wasm object file. An object file is a valid module that imports its memory as
// env.__linear_memory; the kernels call nothing and hold no data, so it needs no linking.
// The output is committed (base64), so building the app needs no LLVM: run this only after
// changing the IR. Usage: node scripts/build-simd-kernels.mjs [path to llvm bin, default /usr/lib/llvm-14/bin]
//
// Conventions: pointers are byte offsets in the backend's heap; `n4` counts 4-float vectors over a
// whole tensor, `c4` the vectors per row of channels (channels innermost: NHWC or [N, C]).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const llvm = process.argv[2] ?? '/usr/lib/llvm-14/bin';

const V = '<4 x float>';
const VP = '<4 x float>*';
const D = '<4 x double>';
const DP = '<4 x double>*';

/**
 * A loop over i in [0, n4) with a channel-vector counter j in [0, c4) that wraps, so one flat loop
 * walks rows of channels. `body` gets the names of i and j and returns IR lines.
 */
function flatLoop(name, args, body) {
  return `
define void @${name}(${args}) #${name.length} {
entry:
  %has = icmp sgt i32 %n4, 0
  br i1 %has, label %loop, label %done
loop:
  %i = phi i32 [0, %entry], [%i.next, %loop]
  %j = phi i32 [0, %entry], [%j.next, %loop]
${body('%i', '%j')
  .map((l) => `  ${l}`)
  .join('\n')}
  %i.next = add nuw nsw i32 %i, 1
  %j.inc = add nuw nsw i32 %j, 1
  %j.wrap = icmp eq i32 %j.inc, %c4
  %j.next = select i1 %j.wrap, i32 0, i32 %j.inc
  %end = icmp eq i32 %i.next, %n4
  br i1 %end, label %done, label %loop
done:
  ret void
}
attributes #${name.length} = { "wasm-export-name"="${name}" }`;
}

// (Attribute groups are numbered by name length above only to be unique per function: see below.)

const load = (dst, ptr, idx, type = V) => [
  `%${dst}.p = getelementptr inbounds ${type}, ${type}* %${ptr}, i32 ${idx}`,
  `%${dst} = load ${type}, ${type}* %${dst}.p, align 4`,
];
const store = (val, ptr, idx, type = V, tag = val) => [
  `%${tag}.sp = getelementptr inbounds ${type}, ${type}* %${ptr}, i32 ${idx}`,
  `store ${type} %${val}, ${type}* %${tag}.sp, align 4`,
];
/** acc[idx] += val in double precision (val is a <4 x double>). */
const accumulate = (tag, val, idx) => [
  ...load(`${tag}.old`, 'acc', idx, D),
  `%${tag}.new = fadd ${D} %${tag}.old, %${val}`,
  ...store(`${tag}.new`, 'acc', idx, D),
];
const reluMask = (dst, dy) => [
  ...load('yv', 'y', '%i'),
  '%pos = fcmp ogt <4 x float> %yv, zeroinitializer',
  `%${dst} = select <4 x i1> %pos, ${V} %${dy}, ${V} zeroinitializer`,
];

const kernels = [
  // Per channel Σx (acc[0, c4)) and, for stats, Σx² (acc[c4, 2·c4)), in float64: E[x²] − mean²
  // cancels, and float32 partial sums failed the 1e-4 check against the cpu backend.
  flatLoop('sums', `${VP} noalias nocapture readonly %x, i32 %n4, i32 %c4, ${DP} noalias nocapture %acc`, (i, j) => [
    ...load('v', 'x', i),
    `%d = fpext ${V} %v to ${D}`,
    ...accumulate('s', 'd', j),
  ]),
  flatLoop('stats', `${VP} noalias nocapture readonly %x, i32 %n4, i32 %c4, ${DP} noalias nocapture %acc`, (i, j) => [
    ...load('v', 'x', i),
    `%d = fpext ${V} %v to ${D}`,
    ...accumulate('s', 'd', j),
    `%dd = fmul ${D} %d, %d`,
    `%jq = add nuw nsw i32 ${j}, %c4`,
    ...accumulate('q', 'dd', '%jq'),
  ]),
  // y = x·scale + shift (coef: scale at [0, c4), shift at [c4, 2·c4)), then max(y, 0) for _relu.
  ...[false, true].map((relu) =>
    flatLoop(
      relu ? 'affine_relu' : 'affine',
      `${VP} noalias nocapture readonly %x, ${VP} noalias nocapture %y, i32 %n4, i32 %c4, ${VP} noalias nocapture readonly %coef`,
      (i, j) => [
        ...load('v', 'x', i),
        ...load('sc', 'coef', j),
        `%jb = add nuw nsw i32 ${j}, %c4`,
        ...load('sh', 'coef', '%jb'),
        `%m = fmul ${V} %v, %sc`,
        `%a = fadd ${V} %m, %sh`,
        ...(relu
          ? ['%gt = fcmp ogt <4 x float> %a, zeroinitializer', `%r = select <4 x i1> %gt, ${V} %a, ${V} zeroinitializer`]
          : [`%r = fadd ${V} %a, zeroinitializer`]),
        ...store('r', 'y', i),
      ],
    ),
  ),
  // Per channel Σdz and Σdz·x in float64, where dz = dy (or dy where the ReLU output y > 0).
  ...[false, true].map((relu) =>
    flatLoop(
      relu ? 'grad_stats_relu' : 'grad_stats',
      `${VP} noalias nocapture readonly %dy, ${VP} noalias nocapture readonly %x, ${VP} noalias nocapture readonly %y, i32 %n4, i32 %c4, ${DP} noalias nocapture %acc`,
      (i, j) => [
        ...load('g', 'dy', i),
        ...(relu ? reluMask('dz', 'g') : [`%dz = fadd ${V} %g, zeroinitializer`]),
        ...load('v', 'x', i),
        `%dzd = fpext ${V} %dz to ${D}`,
        `%vd = fpext ${V} %v to ${D}`,
        ...accumulate('s', 'dzd', j),
        `%p = fmul ${D} %dzd, %vd`,
        `%jq = add nuw nsw i32 ${j}, %c4`,
        ...accumulate('q', 'p', '%jq'),
      ],
    ),
  ),
  // dx = a·dz + b·x + d per channel (coef: a, b, d at [0, c4), [c4, 2·c4), [2·c4, 3·c4)).
  ...[false, true].map((relu) =>
    flatLoop(
      relu ? 'grad_apply_relu' : 'grad_apply',
      `${VP} noalias nocapture readonly %dy, ${VP} noalias nocapture readonly %x, ${VP} noalias nocapture readonly %y, ${VP} noalias nocapture %dx, i32 %n4, i32 %c4, ${VP} noalias nocapture readonly %coef`,
      (i, j) => [
        ...load('g', 'dy', i),
        ...(relu ? reluMask('dz', 'g') : [`%dz = fadd ${V} %g, zeroinitializer`]),
        ...load('v', 'x', i),
        ...load('ca', 'coef', j),
        `%jb = add nuw nsw i32 ${j}, %c4`,
        ...load('cb', 'coef', '%jb'),
        `%jd = add nuw nsw i32 %jb, %c4`,
        ...load('cd', 'coef', '%jd'),
        `%t1 = fmul ${V} %ca, %dz`,
        `%t2 = fmul ${V} %cb, %v`,
        `%t3 = fadd ${V} %t1, %t2`,
        `%r = fadd ${V} %t3, %cd`,
        ...store('r', 'dx', i),
      ],
    ),
  ),
  // A ReLU's gradient and the bias gradient before it, in one pass: dz = dy where y > 0 (else 0),
  // and per channel Σdz in float64 (a convolution + bias + ReLU, kernels/conv-bias-relu.ts).
  flatLoop(
    'relu_grad_sums',
    `${VP} noalias nocapture readonly %dy, ${VP} noalias nocapture readonly %y, ${VP} noalias nocapture %dz.out, i32 %n4, i32 %c4, ${DP} noalias nocapture %acc`,
    (i, j) => [...load('g', 'dy', i), ...reluMask('dz', 'g'), ...store('dz', 'dz.out', i), `%d = fpext ${V} %dz to ${D}`, ...accumulate('s', 'd', j)],
  ),
];

// The 2×2, stride-2, unpadded max-pool gradient: each output position's gradient goes to the first
// maximum of its window (row-major order; NaN never wins), as tfjs's cpu backend does. Windows do
// not overlap, so every covered input is written once (the caller zeroes rows and columns that no
// window covers). Loops: t over B·OH window rows, k over OW·c4 vectors of a window row.
const poolGrad = `
define void @pool2x2_grad(${VP} noalias nocapture readonly %x, ${VP} noalias nocapture readonly %g, ${VP} noalias nocapture %dx, i32 %B, i32 %H, i32 %W, i32 %OH, i32 %OW, i32 %c4) #99 {
entry:
  %rows = mul i32 %B, %OH
  %per = mul i32 %OW, %c4
  %rowv = mul i32 %W, %c4
  %has = icmp sgt i32 %rows, 0
  %hasw = icmp sgt i32 %per, 0
  %go = and i1 %has, %hasw
  br i1 %go, label %outer, label %done
outer:
  %t = phi i32 [0, %entry], [%t.next, %outer.end]
  %b = udiv i32 %t, %OH
  %oy = urem i32 %t, %OH
  %bh = mul i32 %b, %H
  %oy2 = shl i32 %oy, 1
  %iy = add i32 %bh, %oy2
  %base = mul i32 %iy, %rowv
  %gbase = mul i32 %t, %per
  br label %inner
inner:
  %k = phi i32 [0, %outer], [%k.next, %inner]
  %j = phi i32 [0, %outer], [%j.next, %inner]
  %p = phi i32 [%base, %outer], [%p.next, %inner]
  %p01 = add i32 %p, %c4
  %p10 = add i32 %p, %rowv
  %p11 = add i32 %p10, %c4
  %a.p = getelementptr inbounds ${V}, ${VP} %x, i32 %p
  %a = load ${V}, ${VP} %a.p, align 4
  %b1.p = getelementptr inbounds ${V}, ${VP} %x, i32 %p01
  %b1 = load ${V}, ${VP} %b1.p, align 4
  %c.p = getelementptr inbounds ${V}, ${VP} %x, i32 %p10
  %c = load ${V}, ${VP} %c.p, align 4
  %d.p = getelementptr inbounds ${V}, ${VP} %x, i32 %p11
  %d = load ${V}, ${VP} %d.p, align 4
  %gi = add i32 %gbase, %k
  %gv.p = getelementptr inbounds ${V}, ${VP} %g, i32 %gi
  %gv = load ${V}, ${VP} %gv.p, align 4
  %w0 = fcmp ogt ${V} %a, <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>
  %m0 = select <4 x i1> %w0, ${V} %a, ${V} <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>
  %w1 = fcmp ogt ${V} %b1, %m0
  %m1 = select <4 x i1> %w1, ${V} %b1, ${V} %m0
  %w2 = fcmp ogt ${V} %c, %m1
  %m2 = select <4 x i1> %w2, ${V} %c, ${V} %m1
  %w3 = fcmp ogt ${V} %d, %m2
  %n3 = xor <4 x i1> %w3, <i1 true, i1 true, i1 true, i1 true>
  %n2 = xor <4 x i1> %w2, <i1 true, i1 true, i1 true, i1 true>
  %n1 = xor <4 x i1> %w1, <i1 true, i1 true, i1 true, i1 true>
  %o2 = and <4 x i1> %w2, %n3
  %n23 = and <4 x i1> %n2, %n3
  %o1 = and <4 x i1> %w1, %n23
  %n123 = and <4 x i1> %n1, %n23
  %o0 = and <4 x i1> %w0, %n123
  %r0 = select <4 x i1> %o0, ${V} %gv, ${V} zeroinitializer
  %r1 = select <4 x i1> %o1, ${V} %gv, ${V} zeroinitializer
  %r2 = select <4 x i1> %o2, ${V} %gv, ${V} zeroinitializer
  %r3 = select <4 x i1> %w3, ${V} %gv, ${V} zeroinitializer
  %s0.p = getelementptr inbounds ${V}, ${VP} %dx, i32 %p
  store ${V} %r0, ${VP} %s0.p, align 4
  %s1.p = getelementptr inbounds ${V}, ${VP} %dx, i32 %p01
  store ${V} %r1, ${VP} %s1.p, align 4
  %s2.p = getelementptr inbounds ${V}, ${VP} %dx, i32 %p10
  store ${V} %r2, ${VP} %s2.p, align 4
  %s3.p = getelementptr inbounds ${V}, ${VP} %dx, i32 %p11
  store ${V} %r3, ${VP} %s3.p, align 4
  %k.next = add nuw nsw i32 %k, 1
  %j.inc = add nuw nsw i32 %j, 1
  %j.wrap = icmp eq i32 %j.inc, %c4
  %j.next = select i1 %j.wrap, i32 0, i32 %j.inc
  %skip = select i1 %j.wrap, i32 %c4, i32 0
  %p.inc = add i32 %p, 1
  %p.next = add i32 %p.inc, %skip
  %k.end = icmp eq i32 %k.next, %per
  br i1 %k.end, label %outer.end, label %inner
outer.end:
  %t.next = add nuw nsw i32 %t, 1
  %t.end = icmp eq i32 %t.next, %rows
  br i1 %t.end, label %done, label %outer
done:
  ret void
}
attributes #99 = { "wasm-export-name"="pool2x2_grad" }`;


// The transposed im2col of an NHWC input for the filter gradient: cols[k][n] with k = (a, b, c)
// over the kh × kw × ci filter taps and n = (batch, y, x) over the output positions, zero where the
// tap falls in the padding. The input's pixel and channel strides are parameters (ps, cs): NHWC
// (ci, 1), or channels first after a transpose (1, B·H·W), whose rows are contiguous. Then dW = cols · dy is one plain matrix product (kernels/
// conv2d-backprop-filter.ts). Loops: s over the K·B·oh output rows of cols, x along a row.
const im2col = `
define void @im2col_t(float* noalias nocapture readonly %x, float* noalias nocapture %cols, i32 %B, i32 %H, i32 %W, i32 %ci, i32 %kw, i32 %K, i32 %oh, i32 %ow, i32 %sh, i32 %sw, i32 %top, i32 %left, i32 %ps, i32 %cs) #98 {
entry:
  %boh = mul i32 %B, %oh
  %segs = mul i32 %K, %boh
  %kwci = mul i32 %kw, %ci
  %has = icmp sgt i32 %segs, 0
  %hasw = icmp sgt i32 %ow, 0
  %go = and i1 %has, %hasw
  br i1 %go, label %outer, label %done
outer:
  %s = phi i32 [0, %entry], [%s.next, %outer.end]
  %k = udiv i32 %s, %boh
  %r = urem i32 %s, %boh
  %a = udiv i32 %k, %kwci
  %kr = urem i32 %k, %kwci
  %b = udiv i32 %kr, %ci
  %c = urem i32 %kr, %ci
  %bb = udiv i32 %r, %oh
  %y = urem i32 %r, %oh
  %ys = mul i32 %y, %sh
  %ya = add i32 %ys, %a
  %sy = sub i32 %ya, %top
  %rowok = icmp ult i32 %sy, %H
  %bbh = mul i32 %bb, %H
  %rowi = add i32 %bbh, %sy
  %rowbase = mul i32 %rowi, %W
  %x0 = sub i32 %b, %left
  %coff = mul i32 %c, %cs
  %obase = mul i32 %s, %ow
  br label %inner
inner:
  %xx = phi i32 [0, %outer], [%xx.next, %inner]
  %xs = mul i32 %xx, %sw
  %sx = add i32 %xs, %x0
  %colok = icmp ult i32 %sx, %W
  %ok = and i1 %rowok, %colok
  %pix = add i32 %rowbase, %sx
  %pc = mul i32 %pix, %ps
  %src = add i32 %pc, %coff
  %srcs = select i1 %ok, i32 %src, i32 0
  %v.p = getelementptr inbounds float, float* %x, i32 %srcs
  %v = load float, float* %v.p, align 4
  %vz = select i1 %ok, float %v, float 0.0
  %o = add i32 %obase, %xx
  %o.p = getelementptr inbounds float, float* %cols, i32 %o
  store float %vz, float* %o.p, align 4
  %xx.next = add nuw nsw i32 %xx, 1
  %xx.end = icmp eq i32 %xx.next, %ow
  br i1 %xx.end, label %outer.end, label %inner
outer.end:
  %s.next = add nuw nsw i32 %s, 1
  %s.end = icmp eq i32 %s.next, %segs
  br i1 %s.end, label %done, label %outer
done:
  ret void
}
attributes #98 = { "wasm-export-name"="im2col_t" }`;

const names = new Set();
const ir = [
  'target datalayout = "e-m:e-p:32:32-p10:8:8-p20:8:8-i64:64-n32:64-S128-ni:1:10:20"',
  'target triple = "wasm32-unknown-unknown"',
  // Attribute group numbers must be unique: renumber the flat loops' groups by position.
  ...kernels.map((k, n) => {
    const name = /@(\w+)\(/.exec(k)[1];
    if (names.has(name)) throw new Error(`duplicate kernel ${name}`);
    names.add(name);
    return k.replace(/#\d+( =)?/g, (_m, eq) => `#${n + 1}${eq ?? ''}`);
  }),
  poolGrad,
  im2col,
].join('\n');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'simd-kernels-'));
try {
  const ll = path.join(tmp, 'kernels.ll');
  writeFileSync(ll, ir);
  execFileSync(path.join(llvm, 'opt'), ['-O3', '-mattr=+simd128', ll, '-o', path.join(tmp, 'kernels.bc')], { stdio: 'inherit' });
  execFileSync(path.join(llvm, 'llc'), ['-O3', '-mattr=+simd128', '-filetype=obj', path.join(tmp, 'kernels.bc'), '-o', path.join(tmp, 'kernels.o')], {
    stdio: 'inherit',
  });
  const bytes = readFileSync(path.join(tmp, 'kernels.o'));
  const mod = new WebAssembly.Module(bytes);
  const exported = WebAssembly.Module.exports(mod).map((e) => e.name);
  for (const n of [...names, 'pool2x2_grad', 'im2col_t']) if (!exported.includes(n)) throw new Error(`${n} is not exported`);
  const out = path.join(root, 'main/ml-process/kernels/simd/binary.ts');
  const b64 = bytes.toString('base64');
  const lines = b64.match(/.{1,100}/g) ?? [];
  writeFileSync(
    out,
    [
      '// GENERATED by scripts/build-simd-kernels.mjs from the LLVM IR there: do not edit.',
      `// ${bytes.length} bytes; exports: ${exported.join(', ')}.`,
      'export const SIMD_KERNELS_WASM_BASE64 =',
      lines.map((l) => `  '${l}'`).join(' +\n') + ';',
      '',
    ].join('\n'),
  );
  console.log(`wrote ${path.relative(root, out)}: ${bytes.length} bytes, exports ${exported.join(', ')}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
