// Registers one ipcMain handler per contract call. Before any handler runs, the sender is checked:
// the call must come from one of our own windows, from its top frame, showing one of our pages
// (digit-studio://app/…). Anything else — an iframe, a page navigated elsewhere, some other web
// contents — is refused and logged. Arguments are then checked by the shared dispatcher.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CALL_NAMES, callChannel, eventChannel, type EventName, type Events } from '../../preload/contract';
import type { DispatchResult, Dispatcher } from '../ipc/dispatch';
import { isAppUrl } from './app-protocol';

export type SenderCheck = (event: IpcMainInvokeEvent) => string | null;

/**
 * Returns null for a trusted sender, or the reason it is refused. `isOurs` says whether a web
 * contents belongs to one of our windows.
 */
export function createSenderCheck(isOurs: (contents: WebContents) => boolean): SenderCheck {
  return (event) => {
    try {
      const contents = event.sender;
      if (!contents || contents.isDestroyed() || !isOurs(contents)) return 'not one of our windows';
      const frame = event.senderFrame;
      if (!frame) return 'the sending frame is gone';
      if (frame !== contents.mainFrame) return 'not the top frame';
      if (!isAppUrl(frame.url)) return `page ${JSON.stringify(frame.url.slice(0, 200))} is not ours`;
      return null;
    } catch {
      return 'the sender could not be checked';
    }
  };
}

export const REFUSED_MESSAGE = 'Refused: this page may not talk to Digit Studio.';

/** Registers every call; returns a function that removes the handlers again. */
export function registerIpc(ipcMain: IpcMain, dispatch: Dispatcher, checkSender: SenderCheck, log: (line: string) => void): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event, ...args: unknown[]): Promise<DispatchResult> => {
      const refusal = checkSender(event);
      if (refusal) {
        log(`security: refused IPC call ${name}: ${refusal}`);
        return { ok: false, error: { message: REFUSED_MESSAGE } };
      }
      return dispatch(name, args);
    });
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
  };
}

/** Sends an event to every one of our windows currently showing one of our pages. */
export function broadcast<E extends EventName>(targets: Iterable<WebContents>, event: E, payload: Events[E]): void {
  sendOnChannel(targets, eventChannel(event), payload);
}

export function sendOnChannel(targets: Iterable<WebContents>, channel: string, payload: unknown): void {
  for (const contents of targets) {
    if (contents.isDestroyed() || !isAppUrl(contents.getURL())) continue;
    contents.send(channel, payload);
  }
}
