/*
 * codes.c — the code lists the generator writes, spelled as the DfE spells
 * them (data-formats.md §1.6 and §2.3).  Only codes valid in every collection
 * year the generator covers are listed here; year-dependent spellings (SEX)
 * are functions of the year.  The tests check these tables by value against
 * their own copy of the lists.
 */
#include "synth/internal.h"

const char *const sy_place_code[PL_N] = {"U1", "U3", "U4", "U5", "U6", "K2",
                                         "K3", "P1", "A5", "A6", "R3"};
const char *const sy_ls_code[LS_N] = {"C1", "C2", "E1", "V2", "L1", "L2", "J1"};
const char *const sy_provider_code[6] = {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"};
const char *const sy_rec_code[REC_N] = {"X1",  "E11", "E12", "E13", "E14", "E17", "E3",
                                        "E4A", "E4B", "E41", "E45", "E46", "E47", "E48",
                                        "E5",  "E6",  "E7",  "E8",  "E9"};
const char *const sy_rpc_code[SY_RPC_N] = {"CARPL", "CLOSE", "ALLEG", "STAND", "CREQB",
                                           "CREQO", "CHILD", "LAREQ", "OTHER"};
const char *const sy_ethnic_code[SY_ETHNIC_N] = {
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
    "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"};
const double sy_ethnic_weight[SY_ETHNIC_N] = {66,  0.5, 0.5, 5,   0.5, 2.5, 1,   1.5, 2.5, 1.2,
                                              2.5, 1.2, 1.2, 1.2, 3,   1,   0.2, 2,   0.5, 0.5};
const char *const sy_need_code[8] = {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"};
const char *const sy_source_code[SY_SOURCE_N] = {
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4",
    "5A", "5B", "5C", "5D", "6",  "7",  "8",  "9",  "10", "3A", "6",  "2A", "5D"};
/* Police, schools and health dominate referrals; the duplicates above carry
 * no meaning, they only keep the weights readable. */
const double sy_source_weight[SY_SOURCE_N] = {4, 1, 2, 1, 9,  1, 3, 2, 1, 2, 3,  2, 2,
                                              3, 2, 2, 4, 15, 4, 3, 1, 1, 2, 15, 9, 2};
const char *const sy_disability_code[SY_DISABILITY_N] = {
    "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"};
const char *const sy_factor_code[SY_FACTOR_N] = {
    "1A",  "1B",  "1C",  "2A",  "2B", "2C",  "3A",  "3B",  "3C",  "4A",  "4B",  "4C",  "5A",  "5B",
    "5C",  "6A",  "6B",  "6C",  "7A", "9A",  "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A",
    "18B", "18C", "19B", "19C", "20", "22A", "23A", "24A", "8B",  "8E",  "8F",  "8C"};
const char *const sy_abuse_code[5] = {"NEG", "EMO", "PHY", "SAB", "MUL"};
const char *const sy_closure_code[9] = {"RC1", "RC2", "RC3", "RC4", "RC5",
                                        "RC6", "RC7", "RC8", "RC9"};
const char *const sy_sw_reason_code[SY_SW_REASON_N] = {
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"};
const char *const sy_in_touch_code[5] = {"YES", "NO", "REFU", "NREQ", "RHOM"};
const char *const sy_activ_code[SY_ACTIV_N] = {"F1", "P1", "F2", "P2", "F4", "P4",
                                               "F5", "P5", "G4", "G5", "G6"};
/* Accommodation: suitable (1) and unsuitable (2) variants; never S1, X1 (133),
 * T for under-18s (347) or Z for 17-year-olds (3001): leaving.c filters by age. */
const char *const sy_accom_code[SY_ACCOM_N] = {"B1", "C1", "D1", "E1", "U1", "Z1",
                                               "T1", "K1", "Y1", "B2", "D2", "U2",
                                               "S2", "X2", "V2", "W2", "R2", "Y2"};

const char *sy_sex_903(int year, int sex)
{
        if (sy_fmt(year) >= 2025)
                return sex ? "F" : "M";
        return sex ? "2" : "1";
}
