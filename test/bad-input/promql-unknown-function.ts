// A query calling a function PromQL does not have.
export default { uid: 'fn', title: 'Fn', schemaVersion: 41, templating: { list: [] }, annotations: { list: [] },
  panels: [{ id: 1, type: 'timeseries', title: 'Requests', gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ refId: 'A', expr: 'rat(nv_inference_request_success[5m])' }] }] };
