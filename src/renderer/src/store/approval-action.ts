import type { RequestInput } from '../../../shared/contract';

export type ApprovalAction = RequestInput<'tool.respond'>['response'];
