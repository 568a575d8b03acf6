/*
 * The 16550 UART's register map (TI PC16550D data sheet, "Register
 * Description"): register indexes (the byte offset is index << reg-shift,
 * a board's choice) and bits.  Definitions only.
 */
#ifndef TESSERA_DEV_NS16550_H
#define TESSERA_DEV_NS16550_H

#include "tessera/bits.h"

#define NS16550_RBR 0 /* receive buffer (read) */
#define NS16550_THR 0 /* transmit holding (write) */
#define NS16550_IER 1 /* interrupt enable */
#define NS16550_FCR 2 /* FIFO control (write) */
#define NS16550_LCR 3 /* line control */
#define NS16550_LSR 5 /* line status */

#define NS16550_IER_ERBFI BIT(0) /* received data available (and character timeout) */
#define NS16550_IER_ETBEI BIT(1) /* transmitter holding register empty */
#define NS16550_FCR_FIFOE BIT(0)
#define NS16550_FCR_RFIFOR BIT(1) /* reset the receive FIFO */
#define NS16550_FCR_XFIFOR BIT(2) /* reset the transmit FIFO */
#define NS16550_LCR_WLS_8 3U /* 8 data bits; with STB = PEN = 0: 8N1 */
#define NS16550_LCR_FORMAT GENMASK(5, 0) /* word length, stop bits, parity */
#define NS16550_LCR_DLAB BIT(7) /* divisor latch access */
#define NS16550_LSR_DR BIT(0) /* data ready */
#define NS16550_LSR_THRE BIT(5) /* transmit FIFO empty */
#define NS16550_LSR_TEMT BIT(6) /* transmit FIFO and shift register empty */

#endif /* TESSERA_DEV_NS16550_H */
