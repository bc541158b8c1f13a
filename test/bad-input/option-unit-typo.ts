// Not a Grafana unit id: Grafana would show the raw number.
import { dashboard, latency } from 'inferboard';

export default dashboard({ uid: 'o', title: 'O', panels: [latency({ unit: 'milisecond' })] });
