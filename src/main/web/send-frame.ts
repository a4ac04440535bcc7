import { WebSocket } from 'ws';
import type { ServerFrame } from '../../shared/ws-protocol';

/** Sends one frame if the socket is open; false if it was not sent (closed, or not serializable). */
export function sendFrame(socket: WebSocket, frame: ServerFrame): boolean {
  if (socket.readyState !== WebSocket.OPEN) return false;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (error) {
    console.error(`deskmate: could not serialize a ${frame.type} frame:`, error);
    return false;
  }
  socket.send(text);
  return true;
}
