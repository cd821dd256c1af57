/**
 * The WebAssembly kernels the app runs are the bytes committed in each `*.wasm.ts`; they must be what
 * the committed AssemblyScript source compiles to, or a change to a kernel's source would not reach
 * the app (`npm run build:wasm` writes them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelSources, wasmModulePath, wasmModuleText } from '../../../scripts/build-wasm';
import { kernelInstance, KERNEL_MEMORY_LIMIT } from '../../../main/kernel/wasm';
import { WASM_BASE64 } from '../../../main/analysis/segments/kernels/kmeans.wasm';

describe('WebAssembly kernels', () => {
  const sources = kernelSources();
  it('there are kernels to check', () => {
    expect(sources).toContain('main/analysis/segments/kernels/kmeans.as.ts');
  });
  it.each(sources)('%s: the committed module is its source compiled (npm run build:wasm)', async (source) => {
    const bytes = await compileKernel(source);
    expect(readFileSync(wasmModulePath(source), 'utf8')).toBe(wasmModuleText(source, bytes));
  }, 60_000);
  it('a memory beyond WebAssembly’s 4 GiB is refused before it is asked for', () => {
    expect(() => kernelInstance(WASM_BASE64, KERNEL_MEMORY_LIMIT + 1)).toThrow(/4 GiB/);
    const { memory } = kernelInstance(WASM_BASE64, 100_000);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(100_000);
  });
});
