/**
 * Messages between the extension host and the forked worker process. Owned by the worker; the host
 * imports it. The host validates everything it receives with `parseWorkerMessage` (a crashed or foreign
 * process may send anything).
 */
import { z } from 'zod';
import type { JobSpecInput } from '../engine/contracts/jobSpec';
import { LOG_LEVELS } from '../engine/contracts/log';

export type HostToWorker =
  | {
      type: 'start';
      jobId: string;
      job: JobSpecInput;
      /** Folder relative paths in the job resolve against. */
      baseDir: string;
      /** The job file or training config the job came from (hashed into the provenance). */
      jobFile?: string;
      /** Every path the job names must stay inside this folder (the workspace). */
      workspaceRoot?: string;
    }
  | { type: 'cancel'; jobId: string };

const WorkerToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('progress'), jobId: z.string(), fraction: z.number(), message: z.string() }),
  z.object({ type: z.literal('log'), jobId: z.string(), level: z.enum(LOG_LEVELS), message: z.string() }),
  /** The run finished: its folder and its `report.json` (the host reads the report from disk when shown). */
  z.object({ type: z.literal('result'), jobId: z.string(), runDir: z.string(), reportPath: z.string() }),
  /** `file`: the file the error is about, when known. */
  z.object({ type: z.literal('error'), jobId: z.string(), message: z.string(), file: z.string().optional() }),
  z.object({ type: z.literal('cancelled'), jobId: z.string() }),
]);

export type WorkerToHost = z.infer<typeof WorkerToHost>;

/** The message if it is one of the `WorkerToHost` shapes, else undefined. */
export function parseWorkerMessage(message: unknown): WorkerToHost | undefined {
  const parsed = WorkerToHost.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}
