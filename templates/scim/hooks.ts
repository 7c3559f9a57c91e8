// Lifecycle hooks the service calls around writes. The generated hooks.gen.ts narrows these
// to the project's resource types, and the user's src/hooks/ implements them.

export interface HookLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface HookContext {
  requestId: string;
  log: HookLogger;
  /**
   * writeOnly attributes of the request (e.g. the `password` Okta sends). The server never
   * stores or returns them; a hook may use them (hash them into the app's own user store).
   */
  writeOnly: Record<string, unknown>;
}

export interface MembershipChange {
  added: string[];
  removed: string[];
  /** True when every member was removed first (PUT or `replace members`). */
  removedAll: boolean;
}

// `object` parameters with method syntax: TypeScript checks method parameters bivariantly, so
// the generated, narrower hook interfaces (user: ScimUser) are assignable to these.
type MaybePromise<T> = T | Promise<T>;

/**
 * beforeCreate runs before the write: throwing a ScimError from it aborts the request with that
 * error, and nothing is stored. Every other hook runs after the change has committed (its event
 * written with it, events.ts) and is not retried: one that throws is logged at error, by the
 * error's name only (a message may carry personal data), and the request still succeeds. The
 * events are the durable path; hooks are the simple one.
 */
export interface ResourceHooks {
  /** Before a resource is stored; may return a changed resource. */
  beforeCreate?(resource: object, ctx: HookContext): MaybePromise<object | void>;
  afterCreate?(resource: object, ctx: HookContext): MaybePromise<void>;
  afterUpdate?(resource: object, previous: object, ctx: HookContext): MaybePromise<void>;
  /** After `active` went from true to false (how Okta and Entra deprovision). */
  afterDeactivate?(resource: object, ctx: HookContext): MaybePromise<void>;
  afterDelete?(id: string, ctx: HookContext): MaybePromise<void>;
  onMembershipChange?(groupId: string, change: MembershipChange, ctx: HookContext): MaybePromise<void>;
}

/** Hooks by resource type name ("User", "Group"). */
export type HookMap = Readonly<Record<string, ResourceHooks | undefined>>;
