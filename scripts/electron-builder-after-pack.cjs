// electron-builder afterPack hook (see electron-builder.yml). Runs once per platform and arch, after
// the app folder is laid out and before installers are made. It:
//  1. on Windows, copies tfjs-node's tensorflow.dll next to its N-API binding
//     (lib/napi-vN/tfjs_binding.node). tfjs-node's install script is meant to do this but often
//     doesn't (tensorflow/tfjs#4257, #4116, #8431); without the dll beside it the binding fails to
//     load with "The specified module could not be found", and the app would fall back to WASM.
//  2. on every platform, checks that what must live outside app.asar really is there: the WASM
//     backend's .wasm files and sharp's native packages. A packaging mistake then fails the build
//     instead of shipping an app that can't read images or train.
// Plain CommonJS with Node built-ins only: electron-builder requires it directly.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const TFJS_NODE = ['node_modules', '@tensorflow', 'tfjs-node'];
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** The Resources folder of a packed app: inside the .app bundle on macOS, `resources` elsewhere. */
function resourcesDirFor(context) {
  if (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') {
    const productFilename = context.packager.appInfo.productFilename;
    return path.join(context.appOutDir, `${productFilename}.app`, 'Contents', 'Resources');
  }
  return path.join(context.appOutDir, 'resources');
}

function sameFile(a, b) {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.size === sb.size && fs.readFileSync(a).equals(fs.readFileSync(b));
  } catch {
    return false;
  }
}

/**
 * Copies tensorflow.dll from tfjs-node's deps/lib into every lib/napi-v* folder holding the
 * binding. Returns the paths written (empty when tfjs-node is not packaged: it is optional, and
 * the app then runs on WASM). Throws when the binding is there but no dll can be found for it.
 */
function copyTensorflowDll(unpackedDir, log = console.log) {
  const tfjsNode = path.join(unpackedDir, ...TFJS_NODE);
  if (!fs.existsSync(tfjsNode)) {
    log('afterPack: @tensorflow/tfjs-node is not packaged; the app will use the WASM backend');
    return [];
  }
  const libDir = path.join(tfjsNode, 'lib');
  const bindingDirs = fs.existsSync(libDir)
    ? fs
        .readdirSync(libDir)
        .filter((name) => /^napi-v\d+$/.test(name))
        .map((name) => path.join(libDir, name))
        .filter((dir) => fs.existsSync(path.join(dir, 'tfjs_binding.node')))
    : [];
  if (bindingDirs.length === 0) {
    throw new Error(`afterPack: ${tfjsNode} has no lib/napi-v*/tfjs_binding.node; reinstall @tensorflow/tfjs-node on this machine`);
  }
  const candidates = [path.join(tfjsNode, 'deps', 'lib', 'tensorflow.dll'), ...bindingDirs.map((d) => path.join(d, 'tensorflow.dll'))];
  const source = candidates.find((p) => fs.existsSync(p));
  if (!source) {
    throw new Error(`afterPack: tensorflow.dll not found in ${path.join(tfjsNode, 'deps', 'lib')}; native TensorFlow would fail to load`);
  }
  const written = [];
  for (const dir of bindingDirs) {
    const target = path.join(dir, 'tensorflow.dll');
    if (target === source || sameFile(source, target)) continue;
    fs.copyFileSync(source, target);
    written.push(target);
    log(`afterPack: copied tensorflow.dll to ${path.relative(unpackedDir, target)}`);
  }
  return written;
}

// builder-util's Arch enum, as numbers in the hook context.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'arm', 3: 'arm64' };

/** sharp's native package for a target, e.g. sharp-win32-x64, sharp-darwin-arm64. */
function sharpPackageFor(platformName, arch) {
  const archName = typeof arch === 'number' ? ARCH_NAMES[arch] : arch;
  const platform = platformName === 'mas' ? 'darwin' : platformName;
  return archName ? `sharp-${platform}-${archName}` : null;
}

/**
 * Throws when files that must be outside the archive are missing from app.asar.unpacked. With a
 * target, also checks that sharp's native package is the one for that platform and arch (building
 * for another arch than the machine's installs the wrong one unless asked: see docs/RELEASE.md).
 */
function verifyUnpacked(unpackedDir, target = null) {
  const problems = [];
  const wasmDir = path.join(unpackedDir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const name of WASM_FILES) {
    if (!fs.existsSync(path.join(wasmDir, name))) problems.push(`${path.join(wasmDir, name)} is missing`);
  }
  const sharpDir = path.join(unpackedDir, 'node_modules', 'sharp');
  if (!fs.existsSync(sharpDir)) problems.push(`${sharpDir} is missing`);
  const imgDir = path.join(unpackedDir, 'node_modules', '@img');
  const natives = fs.existsSync(imgDir) ? fs.readdirSync(imgDir).filter((n) => n.startsWith('sharp-')) : [];
  if (natives.length === 0) problems.push(`${imgDir} holds no sharp native package (install sharp for the target platform)`);
  const wanted = target && sharpPackageFor(target.platform, target.arch);
  if (wanted && natives.length && !natives.includes(wanted)) {
    problems.push(`${imgDir} has ${natives.join(', ')} but not ${wanted}, which this target needs`);
  }
  if (problems.length) throw new Error(`afterPack: files missing outside app.asar:\n  ${problems.join('\n  ')}`);
}

async function afterPack(context) {
  const unpackedDir = path.join(resourcesDirFor(context), 'app.asar.unpacked');
  verifyUnpacked(unpackedDir, { platform: context.electronPlatformName, arch: context.arch });
  if (context.electronPlatformName === 'win32') copyTensorflowDll(unpackedDir);
}

module.exports = { afterPack, default: afterPack, copyTensorflowDll, verifyUnpacked, resourcesDirFor, sharpPackageFor };
