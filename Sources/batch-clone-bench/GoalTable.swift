/// Each goal of the issue with the measured figure beside it and whether it is met.
struct GoalTable {
    private var table = TextTable([("goal", .left), ("figure", .right), ("target", .right), ("result", .left)])
    private(set) var missed = 0

    mutating func add(_ goal: String, figure: String, target: String, met: Bool) {
        if !met { missed += 1 }
        table.add([goal, figure, target, met ? "PASS" : "MISS"])
    }

    var isEmpty: Bool { table.rows.isEmpty }

    func render() -> String { table.render() }
}
