// The bench server as its own process, so serving never takes CPU from the process measured.
import { startSseServer } from './sse-server';

const server = await startSseServer();
process.stdout.write(`READY ${server.url}\n`);
const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
