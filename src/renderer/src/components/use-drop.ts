import { useState, type DragEvent } from 'react';
import type { Actions } from '../store/actions';
import type { RpcClient } from '../rpc-client';

interface Dropped {
  path: string | undefined;
  isDirectory: boolean;
}

function dropped(event: DragEvent, client: RpcClient): Dropped[] {
  const items = [...(event.dataTransfer?.items ?? [])].filter((item) => item.kind === 'file');
  if (items.length > 0) {
    return items.map((item) => {
      const file = item.getAsFile();
      const entry = item.webkitGetAsEntry?.();
      return { path: file ? client.pathForFile(file) : undefined, isDirectory: Boolean(entry?.isDirectory) };
    });
  }
  return [...(event.dataTransfer?.files ?? [])].map((file) => ({
    path: client.pathForFile(file),
    isDirectory: false,
  }));
}

/**
 * Drop a folder anywhere on the window: it becomes this window's workspace (main checks it is a
 * folder). Dropped files become attachments of the next message.
 */
export function useDrop(client: RpcClient, actions: Actions) {
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(true);
      },
      onDragLeave: (e: DragEvent) => {
        if (e.currentTarget === e.target) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        const items = dropped(e, client);
        if (items.some((item) => !item.path)) {
          // Browsers hide real paths; the headless UI has a path field for this.
          actions.reportError(
            'This window cannot see the path of dropped files: type the folder path with “Path…”.',
          );
          return;
        }
        const folder = items.find((item) => item.isDirectory);
        if (folder?.path) void actions.openPath(folder.path);
        const files = items.filter((item) => !item.isDirectory).map((item) => item.path!);
        if (files.length) actions.addAttachments(files);
      },
    },
  };
}
