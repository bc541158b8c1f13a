// A topSeries count past int64: Prometheus refuses topk(1e21, ...).
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 't', title: 'T', panels: [requestRate({ topSeries: 1e21 })] });
