/// Instants and spans in epoch milliseconds, the unit of the ledger and the journal.
public enum TestTime {
    /// 2026-05-28T20:26:40.000Z: a round, recent instant where test clocks start.
    public static let start: Int64 = 1_780_000_000_000
    /// One second in milliseconds.
    public static let second: Int64 = 1000
    /// One minute in milliseconds.
    public static let minute: Int64 = 60_000
    /// One day in milliseconds.
    public static let day: Int64 = 86_400_000
}
