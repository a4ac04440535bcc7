import '../../shared/zod-jitless'; // first: no schema may be built before it
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createRpcClient, type WindowApi } from './rpc-client';
import './styles.css';
import { installWebBridge } from './web-bridge/web-bridge';

// In Electron the preload has put the API on window; in a browser tab, the headless host's
// bridge provides the same API over a WebSocket.
installWebBridge();
const api = (window as unknown as { deskmate?: WindowApi }).deskmate;
const root = createRoot(document.getElementById('root')!);
if (api) {
  root.render(
    <StrictMode>
      <App client={createRpcClient(api)} />
    </StrictMode>,
  );
} else {
  root.render(<p className="fatal">Deskmate could not reach its engine (no bridge on this page).</p>);
}
