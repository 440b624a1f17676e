// Create a template, or edit one into its next version. Every field is checked as it is
// typed, with the same validateTemplate the core runs, and the core's own messages appear
// next to the fields; a refused save puts the core's per-field errors in the same places.
import { useEffect, useMemo, useState, type FormEvent, type ReactElement } from 'react';

import type { ErrorValue } from '../../../main/shared/contract.js';
import { ACCESS_RIGHTS, type TemplateVersion } from '../../../main/shared/domain.js';
import { ErrorNotice } from '../components/error-notice.js';
import { FormField } from '../components/form-field.js';
import { request } from '../lib/api-client.js';
import { toErrorValue } from '../lib/errors.js';
import { usePageTitle } from '../lib/use-page-title.js';
import {
  EMPTY_TEMPLATE_FORM,
  formValuesFromFields,
  formValuesToInput,
  sameFields,
  validateForm,
  type TemplateFormField,
  type TemplateFormValues,
} from '../lib/template-form.js';
import { useNoticeStore } from '../stores/notice-store.js';
import { routeHref, useRouteStore } from '../stores/route-store.js';
import { useTemplatesStore } from '../stores/templates-store.js';

const ALL_FIELDS: TemplateFormField[] = [
  'name',
  'description',
  'image',
  'command',
  'entrypoint',
  'environment',
  'cpuCores',
  'memory',
  'gpu',
  'maxRuntimeSeconds',
  'accessRights',
  'network',
];

export function TemplateFormPage({ templateId }: { templateId: string | null }): ReactElement {
  const [latest, setLatest] = useState<TemplateVersion | null>(null);
  const [loadError, setLoadError] = useState<ErrorValue | null>(null);

  useEffect(() => {
    if (!templateId) return;
    let current = true;
    request('templates.get', { template: templateId })
      .then((version) => current && setLatest(version))
      .catch((error: unknown) => current && setLoadError(toErrorValue(error)));
    return () => {
      current = false;
    };
  }, [templateId]);

  if (!templateId) return <TemplateForm latest={null} />;
  if (loadError) {
    return (
      <section className="page">
        <h1>Edit template</h1>
        <ErrorNotice error={loadError} title="Could not load the template" />
        <a href={routeHref({ page: 'actions', tab: 'templates' })}>Back to the templates</a>
      </section>
    );
  }
  if (!latest) return <p className="loading">Loading the template…</p>;
  return <TemplateForm key={`${latest.templateId}-${latest.version}`} latest={latest} />;
}

function TemplateForm({ latest }: { latest: TemplateVersion | null }): ReactElement {
  const initial = useMemo(
    () => (latest ? formValuesFromFields(latest) : EMPTY_TEMPLATE_FORM),
    [latest],
  );
  const [values, setValues] = useState<TemplateFormValues>(initial);
  const [touched, setTouched] = useState<Partial<Record<TemplateFormField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<ErrorValue | null>(null);
  const navigate = useRouteStore((state) => state.navigate);
  usePageTitle(latest ? `Edit ${latest.name}` : 'New template');

  const validation = useMemo(() => validateForm(values), [values]);
  const unchanged =
    latest !== null && validation.fields !== null && sameFields(validation.fields, latest);

  const set = <K extends TemplateFormField>(field: K, value: TemplateFormValues[K]) => {
    setValues((before) => ({ ...before, [field]: value }));
    setTouched((before) => ({ ...before, [field]: true }));
    // A refusal was about what was sent; once the field changes it may no longer hold.
    if (refusal?.fieldErrors?.[field]) setRefusal(null);
  };

  const errorsOf = (field: TemplateFormField): string[] => {
    const live = touched[field] || submitted ? (validation.errors[field] ?? []) : [];
    const refused = refusal?.fieldErrors?.[field] ?? [];
    return [...new Set([...live, ...refused])];
  };
  const warningsOf = (field: TemplateFormField) => validation.warnings[field];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setRefusal(null);
    if (!validation.fields || unchanged) return;
    setSaving(true);
    try {
      const input = formValuesToInput(values);
      const saved = latest
        ? await request('templates.edit', { template: latest.templateId, input })
        : await request('templates.create', { input });
      await useTemplatesStore.getState().load();
      const list = { page: 'actions', tab: 'templates' } as const;
      const advice = Object.values(saved.warnings).flat();
      const text = `${saved.version.name} v${saved.version.version} saved`;
      useNoticeStore.getState().show(advice.length ? `${text}; ${advice.join('; ')}` : text, list);
      navigate(list);
    } catch (error) {
      setRefusal(toErrorValue(error));
      setSaving(false);
    }
  };

  const errorCount = Object.keys(validation.errors).length;
  const wholeTemplateErrors = [
    ...(validation.errors[''] ?? []),
    ...(refusal?.fieldErrors?.[''] ?? []),
  ];
  const refusalHasFields = Object.keys(refusal?.fieldErrors ?? {}).some((field) =>
    ALL_FIELDS.includes(field as TemplateFormField),
  );

  return (
    <section className="page template-form-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={routeHref({ page: 'actions', tab: 'templates' })}>Action templates</a>
        <span aria-hidden="true"> / </span>
        <span>{latest ? `Edit ${latest.name}` : 'New template'}</span>
      </nav>
      <h1>{latest ? `Edit ${latest.name}` : 'New action template'}</h1>
      <p className="page-lead">
        {latest
          ? `Saving makes version ${latest.version + 1}; version ${latest.version} stays as it is.`
          : 'An action template says which image to run on a mission, with which command and limits.'}
      </p>

      <form className="template-form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="form-section">
          <legend>What it runs</legend>
          <FormField id="name" label="Name" errors={errorsOf('name')}>
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                value={values.name}
                onChange={(event) => set('name', event.target.value)}
                onBlur={() => setTouched((before) => ({ ...before, name: true }))}
              />
            )}
          </FormField>
          <FormField id="description" label="Description" errors={errorsOf('description')}>
            {(control) => (
              <textarea
                {...control}
                rows={2}
                value={values.description}
                onChange={(event) => set('description', event.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="image"
            label="Docker image"
            hint="A pinned tag such as ghcr.io/lab/summary:1.2, or a digest."
            errors={errorsOf('image')}
            warnings={warningsOf('image')}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={values.image}
                onChange={(event) => set('image', event.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="command"
            label="Command"
            hint="Split into arguments as a shell would, but not run by a shell: write sh -c '…' for pipes."
            errors={errorsOf('command')}
          >
            {(control) => (
              <textarea
                {...control}
                rows={2}
                className="mono"
                spellCheck={false}
                value={values.command}
                onChange={(event) => set('command', event.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="entrypoint"
            label="Entrypoint"
            hint="Empty keeps the image's own entrypoint."
            errors={errorsOf('entrypoint')}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                className="mono"
                autoComplete="off"
                spellCheck={false}
                value={values.entrypoint}
                onChange={(event) => set('entrypoint', event.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="environment"
            label="Environment"
            hint="One NAME=value per line. KLEINKRAM_* variables are set by the app."
            errors={errorsOf('environment')}
          >
            {(control) => (
              <textarea
                {...control}
                rows={3}
                className="mono"
                spellCheck={false}
                value={values.environment}
                onChange={(event) => set('environment', event.target.value)}
              />
            )}
          </FormField>
        </fieldset>

        <fieldset className="form-section form-grid">
          <legend>Limits</legend>
          <FormField id="cpuCores" label="CPU cores" errors={errorsOf('cpuCores')}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={0}
                step="any"
                value={values.cpuCores}
                onChange={(event) => set('cpuCores', event.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="memory"
            label="Memory"
            hint="e.g. 512MiB or 2GiB"
            errors={errorsOf('memory')}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                value={values.memory}
                onChange={(event) => set('memory', event.target.value)}
              />
            )}
          </FormField>
          <FormField id="gpu" label="GPUs" errors={errorsOf('gpu')}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={0}
                step={1}
                value={values.gpu}
                onChange={(event) => set('gpu', event.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="maxRuntimeSeconds"
            label="Maximum runtime (seconds)"
            errors={errorsOf('maxRuntimeSeconds')}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                min={1}
                step={1}
                value={values.maxRuntimeSeconds}
                onChange={(event) => set('maxRuntimeSeconds', event.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="accessRights"
            label="Access rights"
            hint="This version of the app runs actions with read access."
            errors={errorsOf('accessRights')}
          >
            {(control) => (
              <select
                {...control}
                value={values.accessRights}
                onChange={(event) =>
                  set('accessRights', event.target.value as TemplateFormValues['accessRights'])
                }
              >
                {ACCESS_RIGHTS.map((rights) => (
                  <option key={rights} value={rights}>
                    {rights}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <div className="form-field checkbox-field">
            <input
              id="network"
              type="checkbox"
              checked={values.network}
              onChange={(event) => set('network', event.target.checked)}
            />
            <label htmlFor="network">Network access</label>
          </div>
        </fieldset>

        {wholeTemplateErrors.length > 0 ? (
          <div className="error-notice" role="alert">
            {wholeTemplateErrors.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </div>
        ) : null}
        {refusal && !refusalHasFields ? (
          <ErrorNotice error={refusal} title="The template was not saved" />
        ) : null}
        {refusal && refusalHasFields ? (
          <p className="form-summary-error" role="alert">
            The template was not saved: {refusal.message}
          </p>
        ) : null}
        {submitted && errorCount > 0 ? (
          <p className="form-summary-error" role="alert">
            Fix the {errorCount === 1 ? 'field' : `${errorCount} fields`} marked above to save.
          </p>
        ) : null}
        {submitted && unchanged ? (
          <p className="form-summary-note" role="status">
            Nothing changed: version {latest?.version} has these values already.
          </p>
        ) : null}

        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving}>
            {saving
              ? 'Saving…'
              : latest
                ? `Save as version ${latest.version + 1}`
                : 'Create template'}
          </button>
          <a className="button" href={routeHref({ page: 'actions', tab: 'templates' })}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
