// A panel with a misspelt field Grafana would silently drop.
import { dashboard, requestRate } from 'inferboard';

const json = dashboard({ uid: 'unknown-field', title: 'Unknown field', panels: [requestRate()] }).build();
export default { ...json, panels: json.panels?.map((panel) => ({ ...panel, colour: 'red' })) };
