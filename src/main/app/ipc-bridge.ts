import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { requestChannel } from '../../shared/channels';
import { requestNames } from '../../shared/contract';
import type { RpcResult } from '../../shared/errors';
import type { Disposable } from '../engine/base/disposable';
import type { Router } from '../engine/rpc/router';

/**
 * Binds every contract request to ipcMain. The sender is checked (one of our windows, its main
 * frame, on our own page) and its webContents id is the client id: a payload cannot name another
 * window's context.
 */
export function bindIpc(router: Router, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): Disposable {
  for (const name of requestNames) {
    ipcMain.handle(
      requestChannel(name),
      (event, payload: unknown): Promise<RpcResult<unknown>> | RpcResult<unknown> => {
        if (!isTrustedSender(event)) {
          return { ok: false, error: { name: 'Forbidden', message: 'Request from an untrusted frame' } };
        }
        return router.handle(String(event.sender.id), name, payload);
      },
    );
  }
  return {
    dispose() {
      for (const name of requestNames) ipcMain.removeHandler(requestChannel(name));
    },
  };
}
