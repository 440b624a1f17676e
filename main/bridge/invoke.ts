// The one way into the handler table, for IPC and HTTP alike: parse the input with the
// request's schema, run the handler, and answer with a Result. Nothing thrown crosses the
// bridge: an AppError keeps its code and message, a schema failure names each field, and
// anything else becomes `internal` with a message that leaks no detail (the log has it).
import { z } from 'zod';

import { isAppError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import {
  requestSchemas,
  type ErrorValue,
  type RequestName,
  type RequestResults,
  type Result,
} from '../shared/contract.js';
import type { Handlers } from './handlers.js';

const log = createLogger('bridge');

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requestSchemas, name);
}

/** Per-field messages of a schema failure ("" for the input as a whole). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        (fields[prefix ? `${prefix}.${key}` : key] ??= []).push('unknown field');
      }
    } else {
      (fields[prefix] ??= []).push(issue.message);
    }
  }
  return fields;
}

function invalidInput(name: string, error: z.ZodError): ErrorValue {
  const fieldErrors = fieldErrorsOf(error);
  const summary = Object.entries(fieldErrors)
    .map(([field, messages]) => `${field || 'input'}: ${messages.join('; ')}`)
    .join(', ');
  return {
    code: 'invalid_input',
    message: `${name}: the input is not valid: ${summary}`,
    fieldErrors,
  };
}

function refuse<T>(name: string, error: ErrorValue): Result<T> {
  // Field names and codes only: inputs may hold template environments or paths.
  const fields = error.fieldErrors ? ` [${Object.keys(error.fieldErrors).join(', ')}]` : '';
  log.warn(`refused ${name}: ${error.code}${fields}: ${error.message}`);
  return { ok: false, error };
}

export function invokeRequest<K extends RequestName>(
  handlers: Handlers,
  name: K,
  rawInput: unknown,
): Promise<Result<RequestResults[K]>>;
export function invokeRequest(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
): Promise<Result<unknown>>;
export async function invokeRequest(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
): Promise<Result<unknown>> {
  if (!isRequestName(name)) {
    return refuse(String(name).slice(0, 100), {
      code: 'not_found',
      message: `there is no request "${String(name).slice(0, 100)}"`,
    });
  }
  // A request without input (an empty HTTP body, a call with no argument) means "no fields".
  const parsed = requestSchemas[name].safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) return refuse(name, invalidInput(name, parsed.error));
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (isAppError(error)) {
      return refuse(name, {
        code: error.code,
        message: error.message,
        ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
    if (error instanceof z.ZodError) return refuse(name, invalidInput(name, error));
    log.error(`${name} failed`, error);
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `${name} failed inside the app`,
        hint: 'the app log has the details; please report it with the log',
      },
    };
  }
}
