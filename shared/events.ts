import type { JobInfo } from './types';

/** Push events from main to renderer; same map for the ipc and the HTTP event stream. */
export type Events = {
  'job/progress': JobInfo;
  'job/finished': JobInfo;
  'workspace/changed': { path: string | null; name: string | null };
  'datasets/changed': { id: string | null };
};

export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['job/progress', 'job/finished', 'workspace/changed', 'datasets/changed'];
