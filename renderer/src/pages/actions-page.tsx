// The Actions page with Kleinkram's two tabs: the templates, and their executions.
import type { ReactElement } from 'react';

import { usePageTitle } from '../lib/use-page-title.js';
import { routeHref, type ActionsTab } from '../stores/route-store.js';
import { ExecutionsTab } from './executions-tab.js';
import { TemplatesTab } from './templates-tab.js';

const TABS: Array<{ tab: ActionsTab; label: string }> = [
  { tab: 'templates', label: 'Action Templates' },
  { tab: 'executions', label: 'Executions' },
];

export function ActionsPage({ tab }: { tab: ActionsTab }): ReactElement {
  usePageTitle(tab === 'templates' ? 'Action templates' : 'Executions');
  return (
    <section className="page actions-page">
      <h1>Actions</h1>
      <nav className="tabs" aria-label="Actions views">
        {TABS.map((each) => (
          <a
            key={each.tab}
            className="tab"
            href={routeHref({ page: 'actions', tab: each.tab })}
            aria-current={each.tab === tab ? 'page' : undefined}
          >
            {each.label}
          </a>
        ))}
      </nav>
      {tab === 'templates' ? <TemplatesTab /> : <ExecutionsTab />}
    </section>
  );
}
