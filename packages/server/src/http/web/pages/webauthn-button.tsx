import type { PageFrame } from '../layout.js';

/**
 * A WebAuthn ceremony button run by the bundled script (browser/webauthn.ts). Hidden until the
 * script shows it, so a browser without scripts or WebAuthn sees only the other ways in.
 */
export function WebAuthnButton(props: {
  frame: PageFrame; kind: 'register' | 'authenticate'; options: string; verify: string; id: string; label: string; nameInput?: string;
}): JSX.Element {
  return (
    <button type="button" hidden id={props.id} data-webauthn={props.kind} data-options={props.options} data-verify={props.verify}
      data-csrf={props.frame.csrf} data-name-input={props.nameInput} safe>
      {props.label}
    </button>
  );
}

/** Where the script writes a WebAuthn error. */
export function WebAuthnError(): JSX.Element {
  return <p class="notice bad" role="alert" id="webauthn-error" hidden></p>;
}
