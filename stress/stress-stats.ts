/** Counters of one stress run, printed as the one-line JSON summary. */
export function newStressStats() {
  return {
    requests: 0,
    toolCalls: 0,
    sends: 0,
    approvals: 0,
    edits: 0,
    autos: 0,
    skips: 0,
    staleAnswers: 0,
    interrupts: 0,
    disposals: 0,
    configChanges: 0,
    workspaceSwitches: 0,
    newConversations: 0,
    conversationSwitches: 0,
    probes: 0,
    turnsCompleted: 0,
    turnsFailed: 0,
    turnsDisposed: 0,
    hungTurns: 0,
    /** RPC errors other than the expected ones, by "method: name". */
    unexpectedErrors: {} as Record<string, number>,
  };
}

export type StressStats = ReturnType<typeof newStressStats>;
