// gpuMemory measures a ratio or bytes.
import { dashboard, gpuMemory } from 'inferboard';

export default dashboard({ uid: 'o', title: 'O', panels: [gpuMemory({ measure: 'x' } as never)] });
