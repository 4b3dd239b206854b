import Foundation
import PressCommands

exit(await QPress.run())
