// A time series whose line width is a word.
import { dashboard, requestRate } from 'inferboard';

export default dashboard({ uid: 'line-width', title: 'Line width', panels: [requestRate().lineWidth('thick' as unknown as number)] });
