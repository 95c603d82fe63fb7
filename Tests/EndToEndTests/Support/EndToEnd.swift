import Testing

/// All end-to-end suites, run one test at a time: they measure schedules in real time, so they must
/// not compete with each other for the two cores of a CI machine.
@Suite(.serialized) enum EndToEnd {}
