import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { RpcClient } from '../rpc-client';
import type { Actions } from './actions';
import type { WindowState } from './window-state';
import type { WindowStore } from './window-store';

export interface WindowContextValue {
  store: WindowStore;
  client: RpcClient;
  actions: Actions;
}

export const WindowContext = createContext<WindowContextValue | null>(null);

export function useWindow(): WindowContextValue {
  const value = useContext(WindowContext);
  if (!value) throw new Error('useWindow outside a window');
  return value;
}

/** Reads one slice of this window's store; the component re-renders only when that slice changes. */
export function useWindowState<T>(selector: (state: WindowState) => T): T {
  return useStore(useWindow().store, selector);
}
