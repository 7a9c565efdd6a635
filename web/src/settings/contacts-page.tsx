import { useEffect, useState } from 'preact/hooks';
import { del, get, post, put } from '../api/client.js';
import type { Contact, Group } from '../api/types.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText, PageHeading, StatusText } from '../components/page.js';
import { useApp } from '../state.js';
import { useAction } from '../components/use-action.js';

const EMPTY = { name: '', email: '', phone: '', notes: '' };

/** Contacts (create, edit, delete) and groups of them (create, rename, members). */
export function ContactsPage() {
  const app = useApp();
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [groups, setGroups] = useState<Group[]>([]);
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [group, setGroup] = useState<{ id: string | null; name: string; members: Set<string> } | null>(null);
  const a = useAction();

  const load = async () => {
    const [c, g] = await Promise.all([get<Contact[]>('/v1/contacts?limit=1000'), get<Group[]>('/v1/groups')]);
    setContacts(c);
    setGroups(g);
  };
  useEffect(() => {
    void load();
  }, []);

  const bind = (k: keyof typeof EMPTY) => ({ id: `contact-${k}`, value: form[k], onInput: (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value }) });
  const saveContact = a.submit(async () => {
    const body = { name: form.name.trim(), email: form.email.trim(), phone: form.phone.trim() || null, notes: form.notes.trim() || null };
    if (editing) await put(`/v1/contacts/${encodeURIComponent(editing)}`, body);
    else await post('/v1/contacts', body);
    setForm(EMPTY);
    setEditing(null);
    await load();
    return editing ? `Saved ${body.name}.` : `Added ${body.name}.`;
  });
  const saveGroup = (e: Event) => {
    e.preventDefault();
    if (!group) return;
    void a.run(async () => {
      const body = { name: group.name.trim(), contactIds: [...group.members] };
      if (group.id) await put(`/v1/groups/${encodeURIComponent(group.id)}`, body);
      else await post('/v1/groups', body);
      setGroup(null);
      await load();
      return `Group ${body.name} saved.`;
    });
  };

  return (
    <section class="settings">
      <PageHeading title="Contacts" />
      <form class="card" onSubmit={saveContact} aria-labelledby="contact-form-title">
        <h2 id="contact-form-title">{editing ? 'Edit contact' : 'Add a contact'}</h2>
        <div class="row-2">
          <div>
            <label for="contact-name">Name</label>
            <input {...bind('name')} required maxLength={100} autoComplete="off" />
          </div>
          <div>
            <label for="contact-email">Email</label>
            <input {...bind('email')} type="email" required autoComplete="off" />
          </div>
        </div>
        <div class="row-2">
          <div>
            <label for="contact-phone">Phone (optional)</label>
            <input {...bind('phone')} type="tel" placeholder="+15551234567" autoComplete="off" />
          </div>
          <div>
            <label for="contact-notes">Notes (optional)</label>
            <input {...bind('notes')} autoComplete="off" />
          </div>
        </div>
        <button type="submit" class="primary" disabled={a.busy}>
          {editing ? 'Save contact' : 'Add contact'}
        </button>
        {editing && (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              setEditing(null);
              setForm(EMPTY);
            }}
          >
            Cancel
          </button>
        )}
      </form>
      <ErrorText error={a.error} />
      <StatusText text={a.done} />

      <section class="card" aria-labelledby="contacts-title">
        <h2 id="contacts-title">Your contacts ({contacts.length})</h2>
        {contacts.length === 0 ? (
          <p>No contacts yet.</p>
        ) : (
          <DataTable caption="Contacts" columns={['Name', 'Email', 'Phone']}>
            {contacts.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.email}</td>
                <td>{c.phone ?? ''}</td>
                <td class="actions">
                  <button type="button" class="secondary" aria-label={`Write to ${c.name}`} onClick={() => app.openCompose({ to: [c.email] })}>
                    Write
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`Edit ${c.name}`}
                    onClick={() => {
                      setEditing(c.id);
                      setForm({ name: c.name, email: c.email, phone: c.phone ?? '', notes: c.notes ?? '' });
                      document.getElementById('contact-name')?.focus();
                    }}
                  >
                    Edit
                  </button>
                  <button type="button" class="secondary" aria-label={`Delete ${c.name}`} onClick={() => void a.run(async () => (await del(`/v1/contacts/${encodeURIComponent(c.id)}`), await load(), `Deleted ${c.name}.`))}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section class="card" aria-labelledby="groups-title">
        <h2 id="groups-title">Groups</h2>
        {groups.length === 0 && !group && <p>No groups yet.</p>}
        <ul class="groups">
          {groups.map((g) => (
            <li key={g.id}>
              <strong>{g.name}</strong> <span class="muted">({g.members.map((m) => m.name).join(', ') || 'no members'})</span>{' '}
              <button type="button" class="secondary" aria-label={`Write to group ${g.name}`} disabled={!g.members.length} onClick={() => app.openCompose({ to: g.members.map((m) => m.email) })}>
                Write
              </button>
              <button type="button" class="secondary" aria-label={`Edit group ${g.name}`} onClick={() => setGroup({ id: g.id, name: g.name, members: new Set(g.contactIds) })}>
                Edit
              </button>
              <button type="button" class="secondary" aria-label={`Delete group ${g.name}`} onClick={() => void a.run(async () => (await del(`/v1/groups/${encodeURIComponent(g.id)}`), await load(), `Deleted group ${g.name}.`))}>
                Delete
              </button>
            </li>
          ))}
        </ul>
        {group ? (
          <form onSubmit={saveGroup} aria-label={group.id ? 'Edit group' : 'New group'}>
            <label for="group-name">Group name</label>
            <input id="group-name" required maxLength={100} value={group.name} onInput={(e) => setGroup({ ...group, name: e.currentTarget.value })} />
            <fieldset>
              <legend>Members</legend>
              {contacts.length === 0 && <p>Add contacts first.</p>}
              {contacts.map((c) => (
                <label class="check" key={c.id}>
                  <input
                    type="checkbox"
                    checked={group.members.has(c.id)}
                    onChange={(e) => {
                      const m = new Set(group.members);
                      if (e.currentTarget.checked) m.add(c.id);
                      else m.delete(c.id);
                      setGroup({ ...group, members: m });
                    }}
                  />{' '}
                  {c.name} <span class="muted">{c.email}</span>
                </label>
              ))}
            </fieldset>
            <button type="submit" class="primary" disabled={a.busy}>
              Save group
            </button>
            <button type="button" class="link-button" onClick={() => setGroup(null)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" class="primary" onClick={() => setGroup({ id: null, name: '', members: new Set() })}>
            New group
          </button>
        )}
      </section>
    </section>
  );
}
