import { useMemo, useState } from 'preact/hooks';
import type { Contact, Group } from '../api/types.js';
import { EMAIL, parseAddresses } from '../format.js';

interface Suggestion {
  key: string;
  label: string;
  detail: string;
  addresses: string[];
}

/**
 * A recipient field: addresses as removable chips plus a combobox (WAI-ARIA 1.2 pattern) that
 * completes from contacts and groups; picking a group adds all its members. Enter, Tab or a
 * comma turns typed text into an address.
 */
export function RecipientInput(props: { id: string; label: string; value: string[]; onChange: (v: string[]) => void; contacts: Contact[]; groups: Group[]; autoFocus?: boolean }) {
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const [focused, setFocused] = useState(false);
  const listId = `${props.id}-options`;

  const suggestions = useMemo<Suggestion[]>(() => {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    const groups = props.groups
      .filter((g) => g.name.toLowerCase().includes(q) && g.members.length)
      .map((g) => ({ key: `g${g.id}`, label: g.name, detail: `Group · ${g.members.length} member${g.members.length === 1 ? '' : 's'}`, addresses: g.members.map((m) => m.email) }));
    const contacts = props.contacts
      .filter((c) => c.name.toLowerCase().includes(q) || c.email.includes(q))
      .map((c) => ({ key: `c${c.id}`, label: c.name, detail: c.email, addresses: [c.email] }));
    return [...groups, ...contacts].slice(0, 8);
  }, [text, props.contacts, props.groups]);

  const add = (addresses: string[]) => {
    const next = [...props.value];
    for (const a of addresses.map((x) => x.trim().toLowerCase())) if (a && !next.includes(a)) next.push(a);
    props.onChange(next);
    setText('');
    setIndex(0);
  };
  /** Typed text: one or more addresses, `Name <a@b>` or bare. Invalid text stays in the field. */
  const commitText = () => {
    const parsed = parseAddresses(text).map((a) => a.address);
    if (parsed.length && parsed.every((a) => EMAIL.test(a))) add(parsed);
  };
  const open = focused && suggestions.length > 0;

  return (
    <div class="recipients">
      <label for={props.id}>{props.label}</label>
      <div class="chips-field">
        <ul class="chips" aria-label={`${props.label} recipients`}>
          {props.value.map((a) => (
            <li key={a} class="chip">
              {a}
              <button type="button" class="icon-button" aria-label={`Remove ${a}`} onClick={() => props.onChange(props.value.filter((x) => x !== a))}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={props.id}
          type="text"
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open ? `${listId}-${index}` : undefined}
          value={text}
          autoFocus={props.autoFocus}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            commitText();
          }}
          onInput={(e) => {
            const v = e.currentTarget.value;
            if (/[,;]\s*$/.test(v)) {
              setText(v.replace(/[,;]\s*$/, ''));
              const parsed = parseAddresses(v.replace(/[,;]\s*$/, '')).map((a) => a.address);
              if (parsed.length && parsed.every((a) => EMAIL.test(a))) add(parsed);
              return;
            }
            setText(v);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && open) {
              e.preventDefault();
              setIndex((index + 1) % suggestions.length);
            } else if (e.key === 'ArrowUp' && open) {
              e.preventDefault();
              setIndex((index - 1 + suggestions.length) % suggestions.length);
            } else if ((e.key === 'Enter' || e.key === 'Tab') && open) {
              e.preventDefault();
              add(suggestions[index]!.addresses);
            } else if (e.key === 'Enter' && text.trim()) {
              e.preventDefault();
              commitText();
            } else if (e.key === 'Backspace' && !text && props.value.length) {
              props.onChange(props.value.slice(0, -1));
            } else if (e.key === 'Escape' && open) {
              e.stopPropagation();
              setText('');
            }
          }}
        />
      </div>
      <ul id={listId} role="listbox" aria-label={`Suggestions for ${props.label}`} class="suggestions" hidden={!open}>
        {open &&
          suggestions.map((s, i) => (
            <li
              key={s.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === index}
              class={i === index ? 'selected' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                add(s.addresses);
              }}
            >
              <span class="label">{s.label}</span> <span class="muted">{s.detail}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
