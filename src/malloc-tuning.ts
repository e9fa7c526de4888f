/**
 * Whether glibc's malloc will give terminal pages back to the OS.
 *
 * glibc raises its mmap threshold the first time a mapped chunk is freed (the "dynamic" threshold),
 * so after that 128 KiB pages come from the heap, interleaved with small allocations, and a burst's
 * peak stays resident for good. Measured with 300 terminals of 3,000 log lines, every page
 * compressed after the fill (node --expose-gc, engine only): 1.80 MB RSS per terminal and 590 MB
 * kept after disposing them all, against 0.56 MB and 187 MB with the threshold fixed at 128 KiB
 * (`npm run bench -- service` shows the same through the server). A fixed threshold (the env var
 * below, or GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536) must be set before the process
 * starts: the Docker image and `npm start` set it; `termpool serve` says so when it is missing.
 */
export const MMAP_THRESHOLD_ENV = 'MALLOC_MMAP_THRESHOLD_';
/**
 * 64 KiB: every standard and large page is mapped (and unmapped when freed), and so are the
 * short-lived 64 KiB buffers that every pty read (libuv's read buffer, shrunk to the bytes read)
 * and every cold-page compression (zlib's window and hash tables) allocates. At 128 KiB those
 * came from the heap between long-lived allocations (compressed pages, small pages, parser
 * buffers), and the holes they left stayed resident: 1,000 bash sessions of 3,000 lines through
 * the server (node /tmp/svc/diag.mjs 1000, after the quiet sweep), 318 kB RSS a session at
 * 128 KiB, 258 kB at 64 KiB (278 kB at 32 KiB, where each 32 KiB small page is a mapping of
 * 36 KiB); malloc_trim(0) from gdb still freed ~70-110 MB of the heap in each.
 */
export const MMAP_THRESHOLD_BYTES = 65536;

/** The warning to log, or null when the threshold is fixed or the C library is not glibc. */
export function mallocAdvice(env: NodeJS.ProcessEnv, glibcVersion: string | undefined): string | null {
  if (glibcVersion === undefined) return null; // musl, macOS: no dynamic threshold of glibc's kind
  if (env[MMAP_THRESHOLD_ENV] !== undefined && env[MMAP_THRESHOLD_ENV] !== '') return null;
  if (/(^|:)glibc\.malloc\.mmap_threshold=/.test(env['GLIBC_TUNABLES'] ?? '')) return null;
  return `memory: ${MMAP_THRESHOLD_ENV} is not set, so glibc's malloc keeps the memory of deleted sessions and of output bursts ` +
    `(its dynamic mmap threshold); start the server with ${MMAP_THRESHOLD_ENV}=${MMAP_THRESHOLD_BYTES} (npm start and the Docker image do)`;
}

/** glibc's version when this process runs on glibc (Node's diagnostic report header). */
export function runtimeGlibc(): string | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime;
}
