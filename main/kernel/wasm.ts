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

/** A kernel instantiated over a fresh memory of at least `bytes` bytes (its layout is the caller's). */
export function kernelInstance<E>(base64: string, bytes: number): { exports: E; memory: WebAssembly.Memory } {
  if (bytes > KERNEL_MEMORY_LIMIT) throw new RangeError(`kernel memory of ${bytes} bytes exceeds WebAssembly's 4 GiB`);
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  const instance = new WebAssembly.Instance(moduleOf(base64), { env: { memory } });
  return { exports: instance.exports as E, memory };
}

/** Byte offsets for arrays laid end to end, each 16-byte aligned (SIMD loads stay aligned where they can). */
export class MemoryLayout {
  bytes = 0;
  take(byteLength: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(byteLength / 16) * 16;
    return at;
  }
}
