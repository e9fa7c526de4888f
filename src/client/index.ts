/**
 * `termpool/client`: the typed client for termpool's REST and WebSocket API (the package's
 * "./client" export). Everything a caller needs is re-exported here.
 *
 *   const tp = new TermpoolClient({ url: 'http://127.0.0.1:7681', token });
 *   const s = await tp.createSession({ command: 'bash' });
 *   await tp.sendText(s.id, 'echo hi\r');
 *   await tp.wait(s.id, { regex: '^hi$' });
 *   console.log(await tp.screen(s.id));
 */
export { TermpoolClient, type ClientOptions, type TextScreenFormat } from './client.js';
export { TermpoolApiError } from './errors.js';
export { SessionViewer, type ViewerOptions } from './viewer.js';
export type * from './types.js';
