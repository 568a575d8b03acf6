/*
 * ARM PrimeCell UART (PL011) register map (PL011 TRM, DDI 0183G, 3.2-3.3),
 * one place for the console driver (pl011.c) and the virtual UART every
 * partition sees (hyp/dev/vuart.c).
 */
#ifndef TESSERA_PL011_REGS_H
#define TESSERA_PL011_REGS_H

#include "tessera/bits.h"

#define PL011_DR 0x000
#define PL011_RSR 0x004
#define PL011_FR 0x018
#define PL011_IBRD 0x024
#define PL011_FBRD 0x028
#define PL011_LCR_H 0x02c
#define PL011_CR 0x030
#define PL011_IFLS 0x034
#define PL011_IMSC 0x038
#define PL011_RIS 0x03c
#define PL011_MIS 0x040
#define PL011_ICR 0x044
#define PL011_DMACR 0x048
#define PL011_PERIPHID0 0xfe0

#define PL011_DR_OE BIT(11) /* with the character read: one or more were lost before it */
#define PL011_RSR_OE BIT(3)
#define PL011_FR_BUSY BIT(3)
#define PL011_FR_RXFE BIT(4)
#define PL011_FR_TXFF BIT(5)
#define PL011_FR_RXFF BIT(6)
#define PL011_FR_TXFE BIT(7)
#define PL011_LCR_H_FEN BIT(4)
#define PL011_LCR_H_WLEN_8 (3U << 5)
#define PL011_CR_UARTEN BIT(0)
#define PL011_CR_TXE BIT(8)
#define PL011_CR_RXE BIT(9)
#define PL011_INT_RX BIT(4)
#define PL011_INT_TX BIT(5)
#define PL011_INT_RT BIT(6)
#define PL011_INT_ALL GENMASK(10, 0)

#endif /* TESSERA_PL011_REGS_H */
