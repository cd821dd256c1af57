/**
 * WebAssembly kernels (AssemblyScript sources `*.as.ts`, bytes in the generated `*.wasm.ts`): each
 * module is compiled once per thread and instantiated over a memory its caller sizes and lays out.
 */
import v8 from 'node:v8';

const modules = new Map<string, WebAssembly.Module>();
let optimisingFirst = false;

/**
 * The compiled module for these bytes. V8 first runs WebAssembly through its baseline compiler and
 * optimises hot functions later; a kernel's first call is one long loop, which ran 3× slower that
 * way (11 → 34 ms on a 1M × 8 pass), so kernels are compiled optimised from the start. The flag
 * is process-wide; these kernels are the process's only WebAssembly.
 */
function moduleOf(base64: string): WebAssembly.Module {
  let m = modules.get(base64);
  if (!m) {
    if (!optimisingFirst) {
      v8.setFlagsFromString('--no-liftoff');
      optimisingFirst = true;
    }
    m = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    modules.set(base64, m);
  }
  return m;
}

const PAGE = 65_536;
/** WebAssembly's 32-bit memories hold at most 4 GiB. */
export const KERNEL_MEMORY_LIMIT = 65_536 * PAGE;

/**
 * The first bytes of a kernel's memory are the module's own static data (the math library's tables);
 * the caller's arrays start after them. Each kernel exports `heapBase`, checked against this.
 */
const STATIC_BYTES = PAGE;

/** A kernel instantiated over a fresh memory holding a `MemoryLayout` of `bytes` bytes (its layout is the caller's). */
export function kernelInstance<E>(base64: string, bytes: number): { exports: E; memory: WebAssembly.Memory } {
  if (bytes > KERNEL_MEMORY_LIMIT) throw new RangeError(`kernel memory of ${bytes} bytes exceeds WebAssembly's 4 GiB`);
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const instance = new WebAssembly.Instance(moduleOf(base64), { env: { memory } });
  const exports = instance.exports as E & { heapBase(): number };
  if (exports.heapBase() > STATIC_BYTES) throw new Error(`a kernel's static data (${exports.heapBase()} bytes) overlaps the arrays laid out after ${STATIC_BYTES}`);
  return { exports, memory };
}

/** Byte offsets for arrays laid end to end after the kernel's static data, each 16-byte aligned (SIMD loads stay aligned where they can). */
export class MemoryLayout {
  bytes = STATIC_BYTES;
  take(byteLength: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(byteLength / 16) * 16;
    return at;
  }
  /** Room for `count` doubles. */
  f64(count: number): number {
    return this.take(count * 8);
  }
  /** Room for `count` 32-bit integers. */
  i32(count: number): number {
    return this.take(count * 4);
  }
}
