/** How the job's steps report back to the runner: progress as a fraction of the whole job, and log lines. */
import type { LogLevel } from '../contracts/log';

export type Progress = (fraction: number, message: string) => void;
export type Say = (level: LogLevel, message: string) => void;
