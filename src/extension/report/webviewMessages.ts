/**
 * The host's check on every message from the report app: exactly one of the `WebviewToHost` shapes, no
 * extra keys (strict objects), paths bounded and free of NUL. zod returns a fresh object, so nothing
 * else the webview attached can travel further.
 */
import { z } from 'zod';
import { MAX_PATH_LENGTH, type WebviewToHost } from '../../../webview/protocol';

const FilePath = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .refine((path) => !path.includes('\0'));

const WebviewMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('export') }),
  z.strictObject({ type: z.literal('revealRun') }),
  z.strictObject({ type: z.literal('openFile'), path: FilePath }),
]) satisfies z.ZodType<WebviewToHost>;

/** The message if it is exactly one of the `WebviewToHost` shapes, else undefined. */
export function parseWebviewMessage(message: unknown): WebviewToHost | undefined {
  const parsed = WebviewMessage.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}
