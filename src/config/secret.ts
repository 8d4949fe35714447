import { inspect } from "node:util";

/**
 * A secret value that cannot leak by accident: it prints, serialises and inspects as "[secret]".
 * Code that needs the value calls `reveal()` at the last moment (an Authorization header, an HMAC key).
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[secret]";
  }

  toJSON(): string {
    return "[secret]";
  }

  [inspect.custom](): string {
    return "[secret]";
  }
}
