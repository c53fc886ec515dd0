// The check runner of exercise 02b: `swift run workbook check 02b` builds and starts it.
import Exercise02b
import WorkbookChecks

WorkbookRunner.main(Check02b.self, .init(submitOrders: submitOrders, board: board, total: total))
