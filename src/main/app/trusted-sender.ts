// Which IPC senders may reach the engine. Plain Node: Electron's event is read through the few
// fields the decision needs, so the test drives it with plain objects.

export interface FrameLike {
  readonly url: string;
}

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface SenderEvent {
  readonly sender: { readonly id: number; readonly mainFrame: FrameLike };
  readonly senderFrame: FrameLike | null;
}

/**
 * A request is served only from one of our windows, from its main frame (not an iframe), while
 * that frame shows our own page: a window that was somehow navigated elsewhere, or a frame inside
 * it, gets nothing, whatever it sends.
 */
export function isTrustedSender(
  event: SenderEvent,
  isOurWindow: (webContentsId: number) => boolean,
  isAppUrl: (url: string) => boolean,
): boolean {
  // A frame that is gone (null) is never the main frame.
  const frame = event.senderFrame;
  return isOurWindow(event.sender.id) && frame === event.sender.mainFrame && isAppUrl(frame.url);
}
