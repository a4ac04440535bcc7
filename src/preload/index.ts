// The whole preload: the contract's API over ipcRenderer, and the one webUtils call drag-and-drop
// needs. Never the raw ipcRenderer, never an IpcRendererEvent (it carries the sender).
import '../shared/zod-jitless'; // first: no schema may be built before it
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildApi } from '../shared/api';
import { eventChannel, requestChannel } from '../shared/channels';
import type { RpcResult } from '../shared/errors';

const api = buildApi({
  invoke: (name, input) => ipcRenderer.invoke(requestChannel(name), input) as Promise<RpcResult<unknown>>,
  subscribe: (name, listener) => {
    const channel = eventChannel(name);
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => void ipcRenderer.removeListener(channel, forward);
  },
});

contextBridge.exposeInMainWorld('deskmate', {
  ...api,
  /** The real path of a dropped file or folder; main checks it before use. */
  pathForFile: (file: Parameters<typeof webUtils.getPathForFile>[0]): string => webUtils.getPathForFile(file),
});
