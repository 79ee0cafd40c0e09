<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="pl">
<context>
    <name>AfterPackBar</name>
    <message>
        <source>Cofnięto spakowanie zamówienia {number}: paczka wróciła do kolejki</source>
        <translation>Packing of order {number} undone: the parcel is back in the queue</translation>
    </message>
    <message>
        <source>Wydrukowano ponownie etykietę: {where}</source>
        <translation>Label printed again: {where}</translation>
    </message>
    <message>
        <source>Cofnij spakowanie {number} (F8)</source>
        <translation>Undo packing {number} (F8)</translation>
    </message>
    <message>
        <source>Cofnij spakowanie (F8)</source>
        <translation>Undo packing (F8)</translation>
    </message>
    <message>
        <source>Drukuj ponownie etykietę {number} (Ctrl+P)</source>
        <translation>Print label {number} again (Ctrl+P)</translation>
    </message>
    <message>
        <source>Drukuj ponownie etykietę (Ctrl+P)</source>
        <translation>Print label again (Ctrl+P)</translation>
    </message>
</context>
<context>
    <name>CarrierBox</name>
    <message>
        <source>Przewoźnik</source>
        <translation>Carrier</translation>
    </message>
    <message>
        <source>Wbudowany (etykiety bez umowy z przewoźnikiem)</source>
        <translation>Built-in (labels without a carrier contract)</translation>
    </message>
    <message>
        <source>InPost ShipX</source>
        <translation>InPost ShipX</translation>
    </message>
    <message>
        <source>Przewoźnik:</source>
        <translation>Carrier:</translation>
    </message>
    <message>
        <source>Adres API InPost:</source>
        <translation>InPost API address:</translation>
    </message>
    <message>
        <source>Numer organizacji:</source>
        <translation>Organization ID:</translation>
    </message>
    <message>
        <source>Token API:</source>
        <translation>API token:</translation>
    </message>
</context>
<context>
    <name>CheckRow</name>
    <message>
        <source>Testuj połączenie</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>Sprawdzanie…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Nieoczekiwany błąd: {error}</source>
        <translation>Unexpected error: {error}</translation>
    </message>
</context>
<context>
    <name>ConnectionsPage</name>
    <message>
        <source>Połączenia</source>
        <translation>Connections</translation>
    </message>
</context>
<context>
    <name>ConsoleStatusBar</name>
    <message>
        <source>Stany: jeszcze nie synchronizowano</source>
        <translation>Stock: not synchronized yet</translation>
    </message>
    <message>
        <source>Silnik: {error}</source>
        <translation>Engine: {error}</translation>
    </message>
    <message>
        <source>Stany: wysyłanie {sent} z {total}…</source>
        <translation>Stock: sending {sent} of {total}…</translation>
    </message>
    <message>
        <source>pełna</source>
        <translation>full</translation>
    </message>
    <message>
        <source>zmiany</source>
        <translation>changes</translation>
    </message>
    <message>
        <source>Stany ({kind}): {when}, poprawione {changed} z {checked}, błędy {errors}</source>
        <translation>Stock ({kind}): {when}, corrected {changed} of {checked}, errors {errors}</translation>
    </message>
    <message>
        <source>, ceny/nazwy/EAN: {prices}</source>
        <translation>, prices/names/EANs: {prices}</translation>
    </message>
    <message>
        <source>Bez błędów</source>
        <translation>No errors</translation>
    </message>
    <message>
        <source>Wyjątek wymaga decyzji: {reason}</source>
        <translation>An exception needs a decision: {reason}</translation>
    </message>
    <message>
        <source>Spakowane dziś: {count}</source>
        <translation>Packed today: {count}</translation>
    </message>
</context>
<context>
    <name>Corrections</name>
    <message>
        <source>zwrot {amount}</source>
        <translation>refund {amount}</translation>
    </message>
    <message>
        <source>Zwrot {refund} ({amount}): {text} — {state}</source>
        <translation>Refund {refund} ({amount}): {text} — {state}</translation>
    </message>
</context>
<context>
    <name>DPDBox</name>
    <message>
        <source>DPD Polska</source>
        <translation>DPD Poland</translation>
    </message>
    <message>
        <source>puste: DPD nieużywany</source>
        <translation>empty: DPD not used</translation>
    </message>
    <message>
        <source>Adres API DPD:</source>
        <translation>DPD API address:</translation>
    </message>
    <message>
        <source>Login DPDServices:</source>
        <translation>DPDServices login:</translation>
    </message>
    <message>
        <source>Hasło DPDServices:</source>
        <translation>DPDServices password:</translation>
    </message>
    <message>
        <source>Numer FID (master):</source>
        <translation>FID number (master):</translation>
    </message>
    <message>
        <source>Adres API punktów DPD Pickup:</source>
        <translation>DPD Pickup points API address:</translation>
    </message>
    <message>
        <source>Klucz API punktów:</source>
        <translation>Points API key:</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Raport dzienny (PDF e-mailem, raz dziennie)</source>
        <translation>Daily report (PDF by e-mail, once a day)</translation>
    </message>
    <message>
        <source>:00</source>
        <translation>:00</translation>
    </message>
    <message>
        <source>Odbiorcy (adres w wierszu):</source>
        <translation>Recipients (one address a line):</translation>
    </message>
    <message>
        <source>Wysyłka od godziny:</source>
        <translation>Sent from the hour:</translation>
    </message>
    <message>
        <source>Wysyła silnik aktywny w tej chwili, raz dziennie, także przy kilku stanowiskach. Bez odbiorców raportu nie ma.</source>
        <translation>Sent by the engine active at the time, once a day, also with several stations. Without recipients there is no report.</translation>
    </message>
    <message>
        <source>Zapas i zamówienia do dostawców</source>
        <translation>Stock and supplier orders</translation>
    </message>
    <message>
        <source> dni</source>
        <translation> days</translation>
    </message>
    <message>
        <source>np. 1=14; 3=21</source>
        <translation>e.g. 1=14; 3=21</translation>
    </message>
    <message>
        <source>Czas dostawy:</source>
        <translation>Lead time:</translation>
    </message>
    <message>
        <source>Czas dostawy wg grupy towarów:</source>
        <translation>Lead time per item group:</translation>
    </message>
    <message>
        <source>Zamówienie ma starczyć na dodatkowo:</source>
        <translation>An order should also cover:</translation>
    </message>
    <message>
        <source>Grupa to numer grupy towaru w Optimie (karta towaru). Towar trafia do „do zamówienia”, gdy zapas starczy na krócej niż czas dostawy.</source>
        <translation>A group is the item group number in Optima (the item card). An item goes to “to reorder” when its stock lasts shorter than the lead time.</translation>
    </message>
    <message>
        <source>Pulpit i raport</source>
        <translation>Dashboard and report</translation>
    </message>
    <message>
        <source>Czas dostawy wg grupy: wpisz pary grupa=dni, np. 1=14; 3=21.</source>
        <translation>Lead time per group: enter group=days pairs, e.g. 1=14; 3=21.</translation>
    </message>
    <message>
        <source>Odbiorcy raportu: to nie są adresy e-mail: {wrong}.</source>
        <translation>Report recipients: these are not e-mail addresses: {wrong}.</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <source>Dziś</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Ostatnie {days} dni</source>
        <translation>Last {days} days</translation>
    </message>
    <message>
        <source>Odśwież</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Okres:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>Opłacone zamówienia wg godziny</source>
        <translation>Orders paid per hour</translation>
    </message>
    <message>
        <source>Spakowane paczki wg godziny i stanowiska</source>
        <translation>Parcels packed per hour and station</translation>
    </message>
    <message>
        <source>Zaległości teraz (zamówienia)</source>
        <translation>Backlog now (orders)</translation>
    </message>
    <message>
        <source>Od płatności do spakowania, minuty (30 dni)</source>
        <translation>Payment to packed, minutes (30 days)</translation>
    </message>
    <message>
        <source>Wyjątki wg przyczyny (14 dni) — kliknij słupek</source>
        <translation>Exceptions by reason (14 days) — click a bar</translation>
    </message>
    <message>
        <source>Dni zapasu: towary, które kończą się najszybciej</source>
        <translation>Days of cover: the items running out first</translation>
    </message>
    <message>
        <source>Zamów u dostawcy (ZD w buforze Optimy)</source>
        <translation>Order from supplier (ZD in Optima&apos;s buffer)</translation>
    </message>
    <message>
        <source>Zaznacz wszystkie</source>
        <translation>Select all</translation>
    </message>
    <message>
        <source>Eksport CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>Nie udało się odczytać danych: {error}</source>
        <translation>Could not read the figures: {error}</translation>
    </message>
    <message>
        <source>Stan na {at}: opłacone {paid}, spakowane {packed}</source>
        <translation>As of {at}: paid {paid}, packed {packed}</translation>
    </message>
    <message>
        <source>opłacone</source>
        <translation>paid</translation>
    </message>
    <message>
        <source>opłacone, nowe</source>
        <translation>paid, new</translation>
    </message>
    <message>
        <source>czekają na dokumenty</source>
        <translation>waiting for documents</translation>
    </message>
    <message>
        <source>do spakowania</source>
        <translation>ready to pack</translation>
    </message>
    <message>
        <source>wyjątki</source>
        <translation>exceptions</translation>
    </message>
    <message>
        <source>zamówienia</source>
        <translation>orders</translation>
    </message>
    <message>
        <source>mediana</source>
        <translation>median</translation>
    </message>
    <message>
        <source>90. percentyl</source>
        <translation>90th percentile</translation>
    </message>
    <message>
        <source>brak</source>
        <translation>none</translation>
    </message>
    <message>
        <source>dni zapasu</source>
        <translation>days of cover</translation>
    </message>
    <message>
        <source>dostawa (dni)</source>
        <translation>lead time (days)</translation>
    </message>
    <message>
        <source>Do zamówienia: {count} z {selling} towarów sprzedanych w {days} dniach kończy się przed dostawą</source>
        <translation>To reorder: {count} of {selling} items sold in {days} days run out before a delivery</translation>
    </message>
    <message>
        <source>Optima nie jest połączona z tym komputerem: bez stanów i rozliczeń.</source>
        <translation>Optima is not connected to this computer: no stock or settlements.</translation>
    </message>
    <message>
        <source>Nie udało się odczytać Optimy: bez stanów i rozliczeń.</source>
        <translation>Could not read Optima: no stock or settlements.</translation>
    </message>
    <message>
        <source>Zamówienia do dostawcy zapisuje komputer połączony z Optimą (z silnikiem).</source>
        <translation>Supplier orders are booked by the computer connected to Optima (the one with the engine).</translation>
    </message>
    <message>
        <source>Zaznacz pozycje do zamówienia.</source>
        <translation>Tick the lines to order.</translation>
    </message>
    <message>
        <source>Zapisywanie zamówienia w Optimie…</source>
        <translation>Booking the order in Optima…</translation>
    </message>
    <message>
        <source>W buforze Optimy: {numbers}. Zatwierdź je w Optimie.</source>
        <translation>In Optima&apos;s buffer: {numbers}. Confirm them in Optima.</translation>
    </message>
    <message>
        <source>Zapisano {path}</source>
        <translation>Saved {path}</translation>
    </message>
    <message>
        <source>Eksport CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>EndOfDayButton</name>
    <message>
        <source>Raz dziennie dla każdego przewoźnika: {carriers} — protokół przekazania i zamówienie kuriera, wydruk na drukarce tego stanowiska</source>
        <translation>Once a day for each carrier: {carriers} — the handover protocol and the courier booking, printed at this station&apos;s printer</translation>
    </message>
    <message>
        <source>Zamykanie dnia…</source>
        <translation>Closing the day…</translation>
    </message>
    <message>
        <source>{carrier}: wydrukowano ponownie protokół: {where}</source>
        <translation>{carrier}: protocol printed again: {where}</translation>
    </message>
    <message>
        <source>Brak przewoźników do zamknięcia dnia.</source>
        <translation>No carrier has a day to close.</translation>
    </message>
    <message>
        <source>{message}

Wydrukować protokół ponownie?</source>
        <translation>{message}

Print the protocol again?</translation>
    </message>
    <message>
        <source>{message}

Wydrukować protokół teraz?</source>
        <translation>{message}

Print the protocol now?</translation>
    </message>
    <message>
        <source>Nie zamknięto dnia: {reason}</source>
        <translation>The day was not closed: {reason}</translation>
    </message>
    <message>
        <source>Zamknij dzień: protokół i zamówienie kuriera (Ctrl+Shift+D)</source>
        <translation>Close the day: protocol and courier booking (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Protokół przekazania</source>
        <translation>Handover protocol</translation>
    </message>
</context>
<context>
    <name>EngineState</name>
    <message>
        <source>działa</source>
        <translation>running</translation>
    </message>
    <message>
        <source>wstrzymany</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>zatrzymany</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>uruchamia się</source>
        <translation>starting</translation>
    </message>
    <message>
        <source>czuwa</source>
        <translation>standing by</translation>
    </message>
    <message>
        <source>nie może działać tutaj</source>
        <translation>may not run here</translation>
    </message>
    <message>
        <source>nieznany</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>EngineStatus</name>
    <message>
        <source>Wznów</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Wstrzymaj</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Silnik: brak połączenia z bazą konsoli</source>
        <translation>Engine: no connection to the console&apos;s database</translation>
    </message>
    <message>
        <source>Silnik: nie może działać na tym komputerze</source>
        <translation>Engine: may not run on this computer</translation>
    </message>
    <message>
        <source>Silnik: {state}</source>
        <translation>Engine: {state}</translation>
    </message>
    <message>
        <source>{station}, sygnał {age} s temu</source>
        <translation>{station}, heartbeat {age} s ago</translation>
    </message>
    <message>
        <source>Silnik: czuwa, działa na {where}</source>
        <translation>Engine: standing by, running at {where}</translation>
    </message>
    <message>
        <source>Silnik: działa na {where}</source>
        <translation>Engine: running at {where}</translation>
    </message>
    <message>
        <source>Silnik: żaden nie działa (ostatni: stanowisko {station}, {age} s temu)</source>
        <translation>Engine: none is running (last: station {station}, {age} s ago)</translation>
    </message>
    <message>
        <source>Silnik: czuwa</source>
        <translation>Engine: standing by</translation>
    </message>
    <message>
        <source>Silnik: stan nieznany</source>
        <translation>Engine: state unknown</translation>
    </message>
    <message>
        <source>Nie udało się zmienić stanu silnika: {error}</source>
        <translation>Could not change the engine&apos;s state: {error}</translation>
    </message>
</context>
<context>
    <name>ExceptionGroup</name>
    <message>
        <source>Nieznany towar</source>
        <translation>Unknown item</translation>
    </message>
    <message>
        <source>Błędny NIP</source>
        <translation>Invalid NIP</translation>
    </message>
    <message>
        <source>Kwoty się nie zgadzają</source>
        <translation>Amounts do not match</translation>
    </message>
    <message>
        <source>Brak towaru w magazynie</source>
        <translation>Out of stock</translation>
    </message>
    <message>
        <source>Sklep lub Optima nieosiągalne</source>
        <translation>Shop or Optima unreachable</translation>
    </message>
    <message>
        <source>Przewoźnik odmówił</source>
        <translation>Carrier refused</translation>
    </message>
    <message>
        <source>Drukarka</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>KSeF</source>
        <translation>KSeF</translation>
    </message>
    <message>
        <source>Raport kasowy/bankowy zamknięty</source>
        <translation>Cash/bank report closed</translation>
    </message>
    <message>
        <source>Błędne dane zamówienia</source>
        <translation>Invalid order data</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Inne</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Korekty i zwroty</source>
        <translation>Corrections and refunds</translation>
    </message>
</context>
<context>
    <name>ExceptionNotifier</name>
    <message>
        <source>LinkOptima</source>
        <translation>LinkOptima</translation>
    </message>
    <message>
        <source>Zamówienie wymaga decyzji</source>
        <translation>An order needs a decision</translation>
    </message>
    <message>
        <source>Zamówienia wymagają decyzji</source>
        <translation>Orders need a decision</translation>
    </message>
    <message>
        <source>Kolejne wyjątki: {count}. Zobacz ekran „Wyjątki”.</source>
        <translation>{count} more exceptions. See the “Exceptions” screen.</translation>
    </message>
</context>
<context>
    <name>ExceptionsModel</name>
    <message>
        <source>{step} (zwrot {refund})</source>
        <translation>{step} (refund {refund})</translation>
    </message>
    <message>
        <source>kwota zwrotu {amount}</source>
        <translation>refund amount {amount}</translation>
    </message>
    <message>
        <source>po cenach faktury {expected}</source>
        <translation>at the invoice&apos;s prices {expected}</translation>
    </message>
    <message>
        <source>zostało na fakturze {left}</source>
        <translation>left on the invoice {left}</translation>
    </message>
    <message>
        <source>korekty {numbers}</source>
        <translation>corrections {numbers}</translation>
    </message>
    <message>
        <source>Rodzaj</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Zamówienie</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Nabywca</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>Krok</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Przewoźnik</source>
        <translation>Carrier</translation>
    </message>
    <message>
        <source>Przyczyna</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Kiedy</source>
        <translation>When</translation>
    </message>
    <message>
        <source>przyjęcie</source>
        <translation>intake</translation>
    </message>
</context>
<context>
    <name>ExceptionsView</name>
    <message>
        <source>Pokaż wszystkie</source>
        <translation>Show all</translation>
    </message>
    <message>
        <source>Ponów (R)</source>
        <translation>Retry (R)</translation>
    </message>
    <message>
        <source>Ponów całą grupę</source>
        <translation>Retry whole group</translation>
    </message>
    <message>
        <source>Popraw i ponów… (P)</source>
        <translation>Fix and retry… (P)</translation>
    </message>
    <message>
        <source>Pomiń krok…</source>
        <translation>Skip step…</translation>
    </message>
    <message>
        <source>Anuluj zamówienie…</source>
        <translation>Cancel order…</translation>
    </message>
    <message>
        <source>Anuluj etykietę u przewoźnika…</source>
        <translation>Cancel the label with the carrier…</translation>
    </message>
    <message>
        <source>Tylko: {group}{day} (nierozwiązane)</source>
        <translation>Only: {group}{day} (unresolved)</translation>
    </message>
    <message>
        <source>Do wyjaśnienia: {count}</source>
        <translation>To resolve: {count}</translation>
    </message>
    <message>
        <source>Ponowiono zamówienie {number}</source>
        <translation>Order {number} retried</translation>
    </message>
    <message>
        <source>Ponowiono grupę „{group}”: {count} zamówień</source>
        <translation>Group “{group}” retried: {count} order(s)</translation>
    </message>
    <message>
        <source>Poprawny NIP nabywcy zamówienia {number} (puste: osoba prywatna):</source>
        <translation>Correct buyer NIP for order {number} (empty: private person):</translation>
    </message>
    <message>
        <source>Poprawiono NIP zamówienia {number}</source>
        <translation>NIP of order {number} corrected</translation>
    </message>
    <message>
        <source>Kod towaru w Optimie dla towaru sklepu „{sku}”:</source>
        <translation>Optima item code for the shop&apos;s item “{sku}”:</translation>
    </message>
    <message>
        <source>„{sku}” to w Optimie „{code}”: ponowiono zamówienia z tym towarem</source>
        <translation>“{sku}” is “{code}” in Optima: orders with this item retried</translation>
    </message>
    <message>
        <source>Dlaczego pominąć krok {step} zamówienia {number}?</source>
        <translation>Why skip step {step} of order {number}?</translation>
    </message>
    <message>
        <source>Pominięto krok {step} zamówienia {number}</source>
        <translation>Step {step} of order {number} skipped</translation>
    </message>
    <message>
        <source>Dlaczego anulować zamówienie {number}?</source>
        <translation>Why cancel order {number}?</translation>
    </message>
    <message>
        <source>Anulowano zamówienie {number}</source>
        <translation>Order {number} cancelled</translation>
    </message>
    <message>
        <source>Dlaczego anulować etykietę {tracking} zamówienia {number}?</source>
        <translation>Why cancel label {tracking} of order {number}?</translation>
    </message>
    <message>
        <source>Etykieta zamówienia {number} zostanie anulowana u przewoźnika</source>
        <translation>The label of order {number} will be cancelled with the carrier</translation>
    </message>
    <message>
        <source>Ponawianie: {done} z {total}…</source>
        <translation>Retrying: {done} of {total}…</translation>
    </message>
    <message>
        <source>Wykonywanie…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>PIN kierownika jest w zablokowanym pliku haseł: odblokuj go w Ustawieniach.</source>
        <translation>The manager PIN is in the locked secrets file: unlock it in Settings.</translation>
    </message>
    <message>
        <source>PIN kierownika:</source>
        <translation>Manager PIN:</translation>
    </message>
    <message>
        <source>Błędny PIN: nic nie zostało zmienione.</source>
        <translation>Wrong PIN: nothing was changed.</translation>
    </message>
    <message>
        <source>Błędny PIN</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <source>PIN kierownika</source>
        <translation>Manager PIN</translation>
    </message>
    <message>
        <source>Powód</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Kupiona etykieta: {tracking} ({carrier})</source>
        <translation>Label bought: {tracking} ({carrier})</translation>
    </message>
    <message>
        <source>Zamówienie nie ma kupionej etykiety</source>
        <translation>The order has no label bought</translation>
    </message>
</context>
<context>
    <name>FieldsPage</name>
    <message>
        <source>Pola zamówienia (klucze meta, jeden w wierszu)</source>
        <translation>Order fields (meta keys, one per line)</translation>
    </message>
    <message>
        <source>NIP nabywcy:</source>
        <translation>Buyer&apos;s NIP:</translation>
    </message>
    <message>
        <source>„Chcę fakturę”:</source>
        <translation>“I want an invoice”:</translation>
    </message>
    <message>
        <source>Paczkomat:</source>
        <translation>Parcel locker:</translation>
    </message>
    <message>
        <source>Statusy i usługi</source>
        <translation>Statuses and services</translation>
    </message>
    <message>
        <source>Statusy do realizacji:</source>
        <translation>Statuses to process:</translation>
    </message>
    <message>
        <source>Status po wystawieniu faktury:</source>
        <translation>Status once invoiced:</translation>
    </message>
    <message>
        <source>Status po spakowaniu:</source>
        <translation>Status after packing:</translation>
    </message>
    <message>
        <source>Usługa „transport” w Optimie:</source>
        <translation>“Shipping” service in Optima:</translation>
    </message>
    <message>
        <source>Usługa „opłata” w Optimie:</source>
        <translation>“Fee” service in Optima:</translation>
    </message>
    <message>
        <source>Klasa podatkowa WooCommerce</source>
        <translation>WooCommerce tax class</translation>
    </message>
    <message>
        <source>Puste: klasa standardowa</source>
        <translation>Empty: the standard class</translation>
    </message>
    <message>
        <source>(standardowa, bez nazwy)</source>
        <translation>(standard, unnamed)</translation>
    </message>
    <message>
        <source>Stawka VAT</source>
        <translation>VAT rate</translation>
    </message>
    <message>
        <source>Dodaj klasę</source>
        <translation>Add class</translation>
    </message>
    <message>
        <source>0 (ceny nie są synchronizowane)</source>
        <translation>0 (prices not synced)</translation>
    </message>
    <message>
        <source>Numer cennika w Optimie (TwC_TwCNumer), z którego sklep bierze ceny</source>
        <translation>The Optima price list number (TwC_TwCNumer) the shop takes its prices from</translation>
    </message>
    <message>
        <source>Ceny w sklepie są wpisywane z VAT</source>
        <translation>Shop prices are entered with VAT</translation>
    </message>
    <message>
        <source>Stany wysyłane jako różnice (zalecane)</source>
        <translation>Send stock as differences (recommended)</translation>
    </message>
    <message>
        <source>Różnica (inventory_delta) nie nadpisuje sprzedaży zrobionej w sklepie w trakcie synchronizacji. Wyłącz tylko dla sklepu, który jej nie przyjmuje: wtedy wysyłane są stany bezwzględne.</source>
        <translation>A difference (inventory_delta) never overwrites a sale made in the shop during a sync. Turn it off only for a shop that does not accept it: absolute quantities are sent then.</translation>
    </message>
    <message>
        <source>Ceny i stany</source>
        <translation>Prices and stock</translation>
    </message>
    <message>
        <source>Cennik Optimy:</source>
        <translation>Optima price list:</translation>
    </message>
    <message>
        <source>Wystawiaj fakturę także bez towaru w Optimie (na zamówienie)</source>
        <translation>Invoice even without the goods in Optima (back orders)</translation>
    </message>
    <message>
        <source>Wyłączone (zalecane): zamówienie, którego towaru Optima nie ma, czeka przed fakturą jako wyjątek „brak towaru” i rusza samo po dostawie. Włącz tylko, gdy sklep sprzedaje na zamówienie.</source>
        <translation>Off (recommended): an order whose goods Optima does not have waits before its invoice as an “out of stock” exception and goes on by itself after a delivery. Turn on only when the shop sells on back order.</translation>
    </message>
    <message>
        <source>Stawki VAT</source>
        <translation>VAT rates</translation>
    </message>
    <message>
        <source>Pola, statusy, ceny</source>
        <translation>Fields, statuses, prices</translation>
    </message>
    <message>
        <source>Klasy podatkowe powtarzają się: {classes}.</source>
        <translation>Tax classes appear more than once: {classes}.</translation>
    </message>
    <message>
        <source>(bez zmiany statusu)</source>
        <translation>(status unchanged)</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <source>LinkOptima — pierwsze uruchomienie</source>
        <translation>LinkOptima — first start</translation>
    </message>
    <message>
        <source>Nie ma jeszcze ustawień. Możesz obejrzeć konsolę na świecie demonstracyjnym (sklep, Optima i poczta na tym komputerze) albo połączyć ją ze swoim sklepem i Optimą.</source>
        <translation>There are no settings yet. You can try the console on the demo world (a shop, Optima and mail on this computer) or connect it to your own shop and Optima.</translation>
    </message>
    <message>
        <source>Otwórz demo</source>
        <translation>Open the demo</translation>
    </message>
    <message>
        <source>Skonfiguruj połączenia</source>
        <translation>Set up the connections</translation>
    </message>
</context>
<context>
    <name>FurgonetkaBox</name>
    <message>
        <source>Furgonetka</source>
        <translation>Furgonetka</translation>
    </message>
    <message>
        <source>puste: Furgonetka nieużywana</source>
        <translation>empty: Furgonetka not used</translation>
    </message>
    <message>
        <source>rachunek na wpłaty pobrań, np. PL61…</source>
        <translation>account for cash-on-delivery payouts, e.g. PL61…</translation>
    </message>
    <message>
        <source>Adres API Furgonetki:</source>
        <translation>Furgonetka API address:</translation>
    </message>
    <message>
        <source>Identyfikator aplikacji (client id):</source>
        <translation>Application ID (client id):</translation>
    </message>
    <message>
        <source>Klucz tajny aplikacji:</source>
        <translation>Application secret:</translation>
    </message>
    <message>
        <source>Login konta:</source>
        <translation>Account login:</translation>
    </message>
    <message>
        <source>Hasło konta:</source>
        <translation>Account password:</translation>
    </message>
    <message>
        <source>Rachunek pobrań:</source>
        <translation>COD account:</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>Pomoc</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Zapisz raport dla wsparcia…</source>
        <translation>Save a report for support…</translation>
    </message>
    <message>
        <source>Dzienniki, ustawienia bez haseł, wersje i ostatnie zdarzenia, w jednym pliku .zip</source>
        <translation>Logs, settings without passwords, versions and recent events, in one .zip file</translation>
    </message>
    <message>
        <source>Zapisz raport dla wsparcia</source>
        <translation>Save a report for support</translation>
    </message>
    <message>
        <source>Archiwum ZIP (*.zip)</source>
        <translation>ZIP archive (*.zip)</translation>
    </message>
    <message>
        <source>Raport dla wsparcia zapisano: %1</source>
        <translation>The report for support was saved: %1</translation>
    </message>
    <message>
        <source>Nie udało się zapisać raportu: %1</source>
        <translation>The report could not be saved: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Pulpit</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Zamówienia</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>Pakowanie</source>
        <translation>Packing</translation>
    </message>
    <message>
        <source>Wyjątki</source>
        <translation>Exceptions</translation>
    </message>
    <message>
        <source>Wydruki</source>
        <translation>Reprints</translation>
    </message>
    <message>
        <source>Ustawienia</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>LinkOptima</source>
        <translation>LinkOptima</translation>
    </message>
</context>
<context>
    <name>MoneyPanel</name>
    <message>
        <source>Pobrania w drodze:</source>
        <translation>Cash on delivery on the way:</translation>
    </message>
    <message>
        <source>Przelewy oczekujące:</source>
        <translation>Transfers awaited:</translation>
    </message>
    <message>
        <source>Rozliczone dziś:</source>
        <translation>Settled today:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pieniądze w drodze&lt;/b&gt;</source>
        <translation>&lt;b&gt;Money on the way&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Rozliczone dziś wg płatności</source>
        <translation>Settled today by payment</translation>
    </message>
    <message>
        <source>pl_PL</source>
        <comment>the locale amounts are written in</comment>
        <translation>en_GB</translation>
    </message>
    <message>
        <source>{amount} zł</source>
        <translation>PLN {amount}</translation>
    </message>
    <message>
        <source>{amount} (paczki: {count})</source>
        <translation>{amount} (parcels: {count})</translation>
    </message>
    <message>
        <source>{amount} (zamówienia: {count})</source>
        <translation>{amount} (orders: {count})</translation>
    </message>
    <message>
        <source>zł</source>
        <translation>PLN</translation>
    </message>
</context>
<context>
    <name>OptimaBox</name>
    <message>
        <source>Comarch ERP Optima</source>
        <translation>Comarch ERP Optima</translation>
    </message>
    <message>
        <source>Adres bazy (URL SQLAlchemy)</source>
        <translation>Database address (SQLAlchemy URL)</translation>
    </message>
    <message>
        <source>Źródło danych ODBC (DSN)</source>
        <translation>ODBC data source (DSN)</translation>
    </message>
    <message>
        <source>Ciąg połączenia ODBC</source>
        <translation>ODBC connection string</translation>
    </message>
    <message>
        <source>Wybierz…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>puste: moduły z karty operatora (np. FA, MAG, KB)</source>
        <translation>empty: the modules of the operator card (e.g. FA, MAG, KB)</translation>
    </message>
    <message>
        <source>Folder, w którym zainstalowano Optimę: logowanie COM (na komputerze z Windows obok Optimy) zaczyna się w nim</source>
        <translation>The folder Optima is installed in: the COM login (on the Windows computer next to Optima) starts in it</translation>
    </message>
    <message>
        <source>Tylko gdy użytkownik Windows nigdy nie uruchamiał Optimy (np. konto usługi): baza konfiguracyjna Optimy</source>
        <translation>Only when the Windows user never ran Optima (e.g. a service account): Optima&apos;s configuration database</translation>
    </message>
    <message>
        <source>Kody modułów, z którymi loguje się zapis COM; puste: moduły z karty operatora</source>
        <translation>The codes of the modules the COM writer logs in with; empty: the modules of the operator card</translation>
    </message>
    <message>
        <source>Połączenie:</source>
        <translation>Connection:</translation>
    </message>
    <message>
        <source>Baza:</source>
        <translation>Database:</translation>
    </message>
    <message>
        <source>Baza firmy (dla DSN):</source>
        <translation>Company database (for DSN):</translation>
    </message>
    <message>
        <source>Login SQL:</source>
        <translation>SQL login:</translation>
    </message>
    <message>
        <source>Hasło SQL:</source>
        <translation>SQL password:</translation>
    </message>
    <message>
        <source>Magazyn:</source>
        <translation>Warehouse:</translation>
    </message>
    <message>
        <source>Operator (zapis COM):</source>
        <translation>Operator (COM writer):</translation>
    </message>
    <message>
        <source>Hasło operatora:</source>
        <translation>Operator password:</translation>
    </message>
    <message>
        <source>Firma (zapis COM):</source>
        <translation>Company (COM writer):</translation>
    </message>
    <message>
        <source>Folder Optimy:</source>
        <translation>Optima folder:</translation>
    </message>
    <message>
        <source>Baza konfiguracyjna:</source>
        <translation>Configuration database:</translation>
    </message>
    <message>
        <source>Moduły logowania:</source>
        <translation>Login modules:</translation>
    </message>
    <message>
        <source>sqlite:///C:/dane/optima.sqlite  albo  mssql+pyodbc://…</source>
        <translation>sqlite:///C:/data/optima.sqlite  or  mssql+pyodbc://…</translation>
    </message>
    <message>
        <source>Folder, w którym zainstalowano Optimę</source>
        <translation>The folder Optima is installed in</translation>
    </message>
</context>
<context>
    <name>OtherShop</name>
    <message>
        <source>LinkOptima — inny sklep</source>
        <translation>LinkOptima — another shop</translation>
    </message>
    <message>
        <source>Osobna baza dla tego sklepu</source>
        <translation>A database of its own for this shop</translation>
    </message>
    <message>
        <source>Drugi sklep w tej bazie</source>
        <translation>A second shop in this database</translation>
    </message>
    <message>
        <source>Zamknij</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>PackingQueueModel</name>
    <message>
        <source>{delivery} · POBRANIE {amount}</source>
        <translation>{delivery} · COD {amount}</translation>
    </message>
    <message>
        <source>{line} · pakuje: {station}</source>
        <translation>{line} · packing at: {station}</translation>
    </message>
</context>
<context>
    <name>PackingView</name>
    <message>
        <source>Zeskanuj lub wpisz nr zamówienia</source>
        <translation>Scan or type an order number</translation>
    </message>
    <message>
        <source>Włóż towary do paczki i naciśnij Enter — etykieta wydrukuje się sama.</source>
        <translation>Put the items in the box and press Enter — the label prints by itself.</translation>
    </message>
    <message>
        <source>Drukuj etykietę i spakuj (Enter)</source>
        <translation>Print label and pack (Enter)</translation>
    </message>
    <message>
        <source>Najpierw zeskanuj wszystkie towary tej paczki.</source>
        <translation>Scan every item of this parcel first.</translation>
    </message>
    <message>
        <source>Drukowanie etykiety zamówienia {number}…</source>
        <translation>Printing the label of order {number}…</translation>
    </message>
    <message>
        <source>TEGO TOWARU NIE MA W ZAMÓWIENIU (EAN {code}). Odłóż go!</source>
        <translation>THIS ITEM IS NOT IN THE ORDER (EAN {code}). Put it back!</translation>
    </message>
    <message>
        <source>ZA DUŻO: {name} — zamówiono {needed} szt.</source>
        <translation>TOO MANY: {name} — {needed} pcs ordered</translation>
    </message>
    <message>
        <source>Wszystko zeskanowane — naciśnij Enter, aby wydrukować etykietę.</source>
        <translation>Everything scanned — press Enter to print the label.</translation>
    </message>
    <message>
        <source>{name}: {scanned}/{needed}</source>
        <translation>{name}: {scanned}/{needed}</translation>
    </message>
    <message>
        <source>Brak paczek do spakowania</source>
        <translation>No parcels to pack</translation>
    </message>
    <message>
        <source>Pozostałe paczki pakują inne stanowiska</source>
        <translation>The other parcels are being packed at other stations</translation>
    </message>
    <message>
        <source>Nie można otworzyć paczki: {error}</source>
        <translation>Cannot open the parcel: {error}</translation>
    </message>
    <message>
        <source>Nie znaleziono zamówienia „{code}”</source>
        <translation>Order “{code}” not found</translation>
    </message>
    <message>
        <source>Zamówienie {number} nie czeka na spakowanie (etap: {stage})</source>
        <translation>Order {number} is not waiting to be packed (stage: {stage})</translation>
    </message>
    <message>
        <source>Otwarto zamówienie {number}</source>
        <translation>Opened order {number}</translation>
    </message>
    <message>
        <source>Spakowano zamówienie {number} — etykieta: {where}</source>
        <translation>Order {number} packed — label: {where}</translation>
    </message>
    <message>
        <source>Nie spakowano zamówienia {number}. Błąd drukarki: {reason}</source>
        <translation>Order {number} not packed. Printer error: {reason}</translation>
    </message>
    <message>
        <source>Nie spakowano zamówienia {number}: {reason}</source>
        <translation>Order {number} not packed: {reason}</translation>
    </message>
    <message>
        <source>Nie spakowano zamówienia {number}: nieoczekiwany błąd ({reason})</source>
        <translation>Order {number} not packed: unexpected error ({reason})</translation>
    </message>
    <message>
        <source>Drukowanie…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Do spakowania: {count}</source>
        <translation>To pack: {count}</translation>
    </message>
</context>
<context>
    <name>ParcelCard</name>
    <message>
        <source>Brak paczek do spakowania</source>
        <translation>No parcels to pack</translation>
    </message>
    <message>
        <source>Zamówienie {number}</source>
        <translation>Order {number}</translation>
    </message>
    <message>
        <source>(brak adresu dostawy)</source>
        <translation>(no delivery address)</translation>
    </message>
    <message>
        <source>POBRANIE {amount}</source>
        <translation>COD {amount}</translation>
    </message>
</context>
<context>
    <name>ParcelItemsModel</name>
    <message>
        <source>Towar</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>EAN</source>
        <translation>EAN</translation>
    </message>
    <message>
        <source>Ilość</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>Zeskanowano</source>
        <translation>Scanned</translation>
    </message>
    <message>
        <source>bez EAN</source>
        <translation>no EAN</translation>
    </message>
</context>
<context>
    <name>PaymentsPage</name>
    <message>
        <source>Rodzaje płatności (identyfikatory bramek WooCommerce, jeden w wierszu)</source>
        <translation>Payment kinds (WooCommerce gateway IDs, one per line)</translation>
    </message>
    <message>
        <source>Online (bramka
potwierdza wpłatę):</source>
        <translation>Online (the gateway
confirms payment):</translation>
    </message>
    <message>
        <source>Za pobraniem:</source>
        <translation>Cash on delivery:</translation>
    </message>
    <message>
        <source>Przelew (czeka
na wpłatę):</source>
        <translation>Bank transfer (waits
for the money):</translation>
    </message>
    <message>
        <source>Metoda płatności</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <source>Forma płatności w Optimie</source>
        <translation>Optima payment form</translation>
    </message>
    <message>
        <source>Rejestr KP</source>
        <translation>KP register</translation>
    </message>
    <message>
        <source>Puste: należność zostaje otwarta</source>
        <translation>Empty: the payment due stays open</translation>
    </message>
    <message>
        <source>Pobranie</source>
        <translation>COD</translation>
    </message>
    <message>
        <source>Dodaj metodę płatności</source>
        <translation>Add payment method</translation>
    </message>
    <message>
        <source>Optima sama: forma płatności bramki rozlicza fakturę (zalecane)</source>
        <translation>Optima itself: the gateway&apos;s payment form settles the invoice (recommended)</translation>
    </message>
    <message>
        <source>KP i rozliczenie przez API COM (niesprawdzone)</source>
        <translation>KP and settlement through the COM API (unverified)</translation>
    </message>
    <message>
        <source>Zalecane: w Optimie forma płatności bramki jest typu gotówka z rejestrem bramki, więc Optima sama dodaje KP i rozlicza fakturę przy zatwierdzeniu; LinkOptima tylko to sprawdza. KP przez API COM nie zostało sprawdzone na prawdziwej Optimie: najpierw „linkoptima optima-probe” na firmie testowej.</source>
        <translation>Recommended: in Optima the gateway&apos;s payment form is of the cash type with the gateway&apos;s register, so Optima itself adds the KP and settles the invoice when it is confirmed; LinkOptima only checks that. The KP through the COM API has not been verified on a real Optima: run “linkoptima optima-probe” on a test company first.</translation>
    </message>
    <message>
        <source>Płatność w Optimie</source>
        <translation>Payment in Optima</translation>
    </message>
    <message>
        <source>Rozliczenie płatności online:</source>
        <translation>Settling online payments:</translation>
    </message>
    <message>
        <source>Rozliczenie przez Optimę: KP trafia do rejestru przypisanego w Optimie do formy płatności, a pusty „Rejestr KP” znaczy, że należność zostaje otwarta. KP przez API COM trafia do „Rejestru KP”. Metoda spoza listy: forma „przelew”, bez rozliczenia.</source>
        <translation>Settled by Optima: the KP goes to the register Optima links to the payment form, and an empty “KP register” means the payment due stays open. A KP through the COM API goes to the “KP register”. A method not on the list: form “przelew” (transfer), not settled.</translation>
    </message>
    <message>
        <source>Płatności</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>Metody płatności powtarzają się: {methods}.</source>
        <translation>Payment methods appear more than once: {methods}.</translation>
    </message>
</context>
<context>
    <name>PipelineModel</name>
    <message>
        <source>Zamówienie</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Nabywca</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>Kwota</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Płatność</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>FA</source>
        <translation>FA</translation>
    </message>
    <message>
        <source>WZ</source>
        <translation>WZ</translation>
    </message>
    <message>
        <source>KP</source>
        <translation>KP</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Etykieta</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Spakowano</source>
        <translation>Packed</translation>
    </message>
    <message>
        <source>Korekty</source>
        <translation>Corrections</translation>
    </message>
    <message>
        <source>Etap</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>{name} (firma)</source>
        <translation>{name} (company)</translation>
    </message>
    <message>
        <source>Krok zakończony błędem</source>
        <translation>Step failed</translation>
    </message>
</context>
<context>
    <name>PipelineView</name>
    <message>
        <source>Szukaj: numer zamówienia, nabywca, e-mail, nr przesyłki, FA…</source>
        <translation>Search: order number, buyer, e-mail, tracking number, FA…</translation>
    </message>
    <message>
        <source>Szukaj (Ctrl+F)</source>
        <translation>Search (Ctrl+F)</translation>
    </message>
    <message>
        <source>Wszystkie etapy</source>
        <translation>All stages</translation>
    </message>
    <message>
        <source>Każda data</source>
        <translation>Any date</translation>
    </message>
    <message>
        <source>Dziś</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Ostatnie 7 dni</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>Ostatnie 30 dni</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>Każda płatność</source>
        <translation>Any payment</translation>
    </message>
    <message>
        <source>Płatność online</source>
        <translation>Online payment</translation>
    </message>
    <message>
        <source>Za pobraniem</source>
        <translation>Cash on delivery</translation>
    </message>
    <message>
        <source>Przelew</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <source>Korekty</source>
        <translation>Corrections</translation>
    </message>
    <message>
        <source>Tylko zamówienia ze zwrotami i korektami</source>
        <translation>Only orders with refunds and corrections</translation>
    </message>
    <message>
        <source>Zamówień: {total}</source>
        <translation>Orders: {total}</translation>
    </message>
    <message>
        <source>Pokazano {shown} z {total}</source>
        <translation>Showing {shown} of {total}</translation>
    </message>
</context>
<context>
    <name>RefundList</name>
    <message>
        <source>Zwrot {refund} · {amount} · {corrections} · {state}</source>
        <translation>Refund {refund} · {amount} · {corrections} · {state}</translation>
    </message>
    <message>
        <source>wypłata {number}</source>
        <translation>payout {number}</translation>
    </message>
</context>
<context>
    <name>RefundState</name>
    <message>
        <source>czeka na korektę</source>
        <translation>awaiting correction</translation>
    </message>
    <message>
        <source>zaksięgowana</source>
        <translation>booked</translation>
    </message>
    <message>
        <source>pieniądze zwrócone</source>
        <translation>money returned</translation>
    </message>
    <message>
        <source>wysłana klientowi</source>
        <translation>sent to the buyer</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>problem</translation>
    </message>
    <message>
        <source>bez korekty</source>
        <translation>no correction</translation>
    </message>
</context>
<context>
    <name>ReorderModel</name>
    <message>
        <source>Zamów</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Kod</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Nazwa</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Dostawca</source>
        <translation>Supplier</translation>
    </message>
    <message>
        <source>Dostępne</source>
        <translation>Available</translation>
    </message>
    <message>
        <source>Dziennie</source>
        <translation>Per day</translation>
    </message>
    <message>
        <source>Dni zapasu</source>
        <translation>Days of cover</translation>
    </message>
    <message>
        <source>Dostawa (dni)</source>
        <translation>Lead time (days)</translation>
    </message>
    <message>
        <source>Ilość</source>
        <translation>Quantity</translation>
    </message>
</context>
<context>
    <name>ReprintView</name>
    <message>
        <source>Szukaj: nr zamówienia, nabywca, e-mail, nr faktury lub przesyłki</source>
        <translation>Search: order number, buyer, e-mail, invoice or tracking number</translation>
    </message>
    <message>
        <source>Drukuj ponownie etykietę (Ctrl+P)</source>
        <translation>Print label again (Ctrl+P)</translation>
    </message>
    <message>
        <source>Drukuj ponownie fakturę (Ctrl+Shift+P)</source>
        <translation>Print invoice again (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>Drukuj ponownie korektę</source>
        <translation>Reprint correction</translation>
    </message>
    <message>
        <source>Wpisz co najmniej 2 znaki, aby wyszukać zamówienie.</source>
        <translation>Type at least 2 characters to search for an order.</translation>
    </message>
    <message>
        <source>Szukaj (Ctrl+F)</source>
        <translation>Search (Ctrl+F)</translation>
    </message>
    <message>
        <source>Drukowanie…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Znaleziono: {count}</source>
        <translation>Found: {count}</translation>
    </message>
    <message>
        <source>Nic nie znaleziono dla „{text}”</source>
        <translation>Nothing found for “{text}”</translation>
    </message>
    <message>
        <source>Korekta {correction} wydrukowana ponownie: {where}</source>
        <translation>Correction {correction} reprinted: {where}</translation>
    </message>
    <message>
        <source>Etykieta zamówienia {number} wydrukowana ponownie: {where}</source>
        <translation>Label of order {number} printed again: {where}</translation>
    </message>
    <message>
        <source>Faktura {fa} wydrukowana ponownie: {where}</source>
        <translation>Invoice {fa} printed again: {where}</translation>
    </message>
</context>
<context>
    <name>ReturnDeskPanel</name>
    <message>
        <source>Zwrot: zeskanuj lub wpisz nr zamówienia</source>
        <translation>Return: scan or type the order number</translation>
    </message>
    <message>
        <source>Zeskanuj numer zamówienia z paczki, która wróciła.</source>
        <translation>Scan the order number of the parcel that came back.</translation>
    </message>
    <message>
        <source>Pozycja</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Kod</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Zamówiono</source>
        <translation>Ordered</translation>
    </message>
    <message>
        <source>Do zwrotu</source>
        <translation>Returnable</translation>
    </message>
    <message>
        <source>Wraca</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Wszystko wraca</source>
        <translation>Everything came back</translation>
    </message>
    <message>
        <source>Odstąpienie od umowy (zwrot w ciągu 14 dni)</source>
        <translation>Withdrawal from the contract (return within 14 days)</translation>
    </message>
    <message>
        <source>Przesyłka nieodebrana</source>
        <translation>Parcel not collected</translation>
    </message>
    <message>
        <source>Towar uszkodzony</source>
        <translation>Goods damaged</translation>
    </message>
    <message>
        <source>Reklamacja uznana</source>
        <translation>Complaint accepted</translation>
    </message>
    <message>
        <source>Zapisz zwrot</source>
        <translation>Save return</translation>
    </message>
    <message>
        <source>Powód:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>Tryb zwrotu: towary wrócą na stan, a klient dostanie korektę faktury.</source>
        <translation>Return mode: the goods go back into stock and the buyer gets a correction invoice.</translation>
    </message>
    <message>
        <source>Czytanie zamówienia {code} ze sklepu…</source>
        <translation>Reading order {code} from the shop…</translation>
    </message>
    <message>
        <source>Zapisywanie zwrotu zamówienia {number} w sklepie…</source>
        <translation>Saving the return of order {number} in the shop…</translation>
    </message>
    <message>
        <source>Dostawa: {name}</source>
        <translation>Shipping: {name}</translation>
    </message>
    <message>
        <source>zwróć</source>
        <translation>refund</translation>
    </message>
    <message>
        <source> · zwrócono już {amount}</source>
        <translation> · already refunded {amount}</translation>
    </message>
    <message>
        <source>Zwrot zamówienia {number} · {buyer} · {fa}</source>
        <translation>Return of order {number} · {buyer} · {fa}</translation>
    </message>
    <message>
        <source>Pieniądze wrócą do klienta przez bramkę płatności.</source>
        <translation>The money goes back to the buyer through the payment gateway.</translation>
    </message>
    <message>
        <source>Pieniądze zwróć klientowi sam (przelew, kasa): sklep tylko zapisze zwrot.</source>
        <translation>Pay the money back yourself (transfer, cash): the shop only records the refund.</translation>
    </message>
    <message>
        <source>Zaznacz, co wróciło, i naciśnij „Zapisz zwrot”.</source>
        <translation>Tick what came back and press “Save return”.</translation>
    </message>
    <message>
        <source>Zwrot zamówienia {number} zapisany w sklepie ({amount}): korekta faktury powstanie automatycznie.</source>
        <translation>Return of order {number} saved in the shop ({amount}): the correction invoice will be booked automatically.</translation>
    </message>
    <message>
        <source>Do zwrotu: {amount}</source>
        <translation>To refund: {amount}</translation>
    </message>
</context>
<context>
    <name>ReturnModeSwitch</name>
    <message>
        <source>Tryb: zwrot (F9)</source>
        <translation>Mode: return (F9)</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Zamówienie</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Nabywca</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Faktura</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <source>Nr przesyłki</source>
        <translation>Tracking number</translation>
    </message>
    <message>
        <source>Etap</source>
        <translation>Stage</translation>
    </message>
</context>
<context>
    <name>SecretEdit</name>
    <message>
        <source>Pokaż</source>
        <translation>Show</translation>
    </message>
</context>
<context>
    <name>SecretsHomeBox</name>
    <message>
        <source>Na tym komputerze nie ma systemowego magazynu haseł, więc hasła i klucze (sklepu, poczty, Optimy, przewoźnika) nie mają gdzie być zapisane. Można je trzymać w pliku zaszyfrowanym hasłem, nigdy jawnym tekstem: {path}. Konsola zapyta o to hasło raz przy każdym uruchomieniu; silnik bez okna dostaje je z pliku (--secrets-password-file) albo ze zmiennej {env}.</source>
        <translation>This computer has no system keyring, so the passwords and keys (shop, mail, Optima, carrier) have nowhere to be saved. They can be kept in a file encrypted with a password, never as plain text: {path}. The console asks for that password once per start; the engine without a window gets it from a file (--secrets-password-file) or from the variable {env}.</translation>
    </message>
    <message>
        <source>Utwórz zaszyfrowany plik haseł…</source>
        <translation>Create an encrypted secrets file…</translation>
    </message>
    <message>
        <source>Hasła i klucze są w zaszyfrowanym pliku {path}. Podaj jego hasło, aby je odczytać i zapisywać.</source>
        <translation>The passwords and keys are in the encrypted file {path}. Type its password to read and save them.</translation>
    </message>
    <message>
        <source>Odblokuj plik haseł…</source>
        <translation>Unlock the secrets file…</translation>
    </message>
    <message>
        <source>Hasła i klucze są w zaszyfrowanym pliku {path}.</source>
        <translation>The passwords and keys are in the encrypted file {path}.</translation>
    </message>
</context>
<context>
    <name>SecretsPasswordDialog</name>
    <message>
        <source>LinkOptima — plik haseł</source>
        <translation>LinkOptima — secrets file</translation>
    </message>
    <message>
        <source>Hasła i klucze (sklepu, poczty, Optimy, przewoźnika) zostaną zapisane w pliku {path}, zaszyfrowanym hasłem, które teraz ustalisz. Zapamiętaj je: bez niego zapisanych haseł nie da się odczytać i trzeba je wpisać od nowa. Hasło ma co najmniej {count} znaków.</source>
        <translation>The passwords and keys (shop, mail, Optima, carrier) will be saved in the file {path}, encrypted with the password you choose now. Remember it: without it the saved passwords cannot be read and must be entered again. The password has at least {count} characters.</translation>
    </message>
    <message>
        <source>Hasła i klucze są w zaszyfrowanym pliku {path}. Podaj jego hasło, aby konsola mogła ich używać do końca tej sesji.</source>
        <translation>The passwords and keys are in the encrypted file {path}. Type its password so that the console can use them until it is closed.</translation>
    </message>
    <message>
        <source>Utwórz plik</source>
        <translation>Create the file</translation>
    </message>
    <message>
        <source>Odblokuj</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Anuluj</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Hasło:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Powtórz hasło:</source>
        <translation>Repeat the password:</translation>
    </message>
    <message>
        <source>Hasła się różnią: wpisz to samo hasło w obu polach.</source>
        <translation>The passwords differ: type the same password in both fields.</translation>
    </message>
    <message>
        <source>Wpisz hasło.</source>
        <translation>Type the password.</translation>
    </message>
    <message>
        <source>Sprawdzanie hasła…</source>
        <translation>Checking the password…</translation>
    </message>
    <message>
        <source>Tworzenie pliku…</source>
        <translation>Creating the file…</translation>
    </message>
    <message>
        <source>Nie udało się użyć pliku haseł. Szczegóły są w dzienniku programu.</source>
        <translation>The secrets file could not be used. The details are in the program&apos;s log.</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Przywróć zapisane</source>
        <translation>Revert to saved</translation>
    </message>
    <message>
        <source>Zapisz</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Zapisz ustawienia (Ctrl+S)</source>
        <translation>Save the settings (Ctrl+S)</translation>
    </message>
    <message>
        <source>Wczytywanie ustawień…</source>
        <translation>Loading settings…</translation>
    </message>
    <message>
        <source>Ustawienia z pliku {path}</source>
        <translation>Settings from the file {path}</translation>
    </message>
    <message>
        <source>Brak pliku ustawień: pokazano ustawienia domyślne. Zapisz, aby utworzyć {path}</source>
        <translation>No settings file: showing the defaults. Save to create {path}</translation>
    </message>
    <message>
        <source>Nie można wczytać ustawień: {reason}</source>
        <translation>Cannot load the settings: {reason}</translation>
    </message>
    <message>
        <source>Zapisywanie…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Zapisano ustawienia w {path}. Połączenia i drukarki zadziałają po ponownym uruchomieniu konsoli.</source>
        <translation>Settings saved in {path}. Connections and printers take effect after the console is restarted.</translation>
    </message>
    <message>
        <source>Nie zapisano: {reason}</source>
        <translation>Not saved: {reason}</translation>
    </message>
    <message>
        <source>Nie zapisano pliku ustawień {path}: {reason}</source>
        <translation>The settings file {path} was not saved: {reason}</translation>
    </message>
    <message>
        <source>…i jeszcze {count}</source>
        <translation>…and {count} more</translation>
    </message>
    <message>
        <source>Nie zapisano, popraw:</source>
        <translation>Not saved, please correct:</translation>
    </message>
</context>
<context>
    <name>ShippingPage</name>
    <message>
        <source>mała</source>
        <translation>small</translation>
    </message>
    <message>
        <source>średnia</source>
        <translation>medium</translation>
    </message>
    <message>
        <source>duża</source>
        <translation>large</translation>
    </message>
    <message>
        <source>(przewoźnik z Połączeń)</source>
        <translation>(the carrier from Connections)</translation>
    </message>
    <message>
        <source>Metoda wysyłki w sklepie</source>
        <translation>Shop shipping method</translation>
    </message>
    <message>
        <source>Identyfikator metody z WooCommerce, np. flat_rate</source>
        <translation>The method&apos;s ID from WooCommerce, e.g. flat_rate</translation>
    </message>
    <message>
        <source>Gabaryt paczki</source>
        <translation>Parcel size</translation>
    </message>
    <message>
        <source>Dodaj metodę wysyłki</source>
        <translation>Add shipping method</translation>
    </message>
    <message>
        <source>Przewoźnik</source>
        <translation>Carrier</translation>
    </message>
    <message>
        <source>Puste: przewoźnik wybrany w Połączeniach</source>
        <translation>Empty: the carrier chosen in Connections</translation>
    </message>
    <message>
        <source>Usługa</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Usługa u przewoźnika</source>
        <translation>Carrier&apos;s service code</translation>
    </message>
    <message>
        <source>Kod usługi samego przewoźnika, gdy go potrzebuje (Furgonetka: sieć, np. dhl)</source>
        <translation>The carrier&apos;s own service code, where it needs one (Furgonetka: the network, e.g. dhl)</translation>
    </message>
    <message>
        <source>Metoda wysyłki spoza tej listy: paczkomat, gdy zamówienie wskazuje paczkomat, w przeciwnym razie kurier standard; gabaryt A; przewoźnik z Połączeń. Identyfikatory metod są w WooCommerce → Ustawienia → Wysyłka. Przez Furgonetkę sieć (dpd, dhl, inpost, poczta, orlen, gls, ups) podaj jako „usługę u przewoźnika”.</source>
        <translation>A shipping method not on this list: parcel locker when the order names a locker, otherwise standard courier; size A; the carrier from Connections. The method IDs are in WooCommerce → Settings → Shipping. Through Furgonetka, give the network (dpd, dhl, inpost, poczta, orlen, gls, ups) as the “carrier&apos;s service code”.</translation>
    </message>
    <message>
        <source>Kupuj etykietę od razu po płatności, obok faktury</source>
        <translation>Buy the label right after payment, beside the invoice</translation>
    </message>
    <message>
        <source>Wyłączone (zalecane): etykieta jest kupowana, gdy faktura i WZ są zaksięgowane, więc zamówienie, którego nie da się zafakturować, nie kosztuje etykiety. Włączone: pakowanie nigdy nie czeka na przewoźnika, a etykietę zamówienia zatrzymanego później można anulować na ekranie Wyjątki.</source>
        <translation>Off (recommended): the label is bought once the invoice and the WZ are booked, so an order that cannot be invoiced costs no label. On: packing never waits for the carrier, and the label of an order that stops later can be cancelled on the Exceptions screen.</translation>
    </message>
    <message>
        <source>Waga paczki</source>
        <translation>Parcel weight</translation>
    </message>
    <message>
        <source>z produktów w sklepie (WooCommerce)</source>
        <translation>from the shop&apos;s products (WooCommerce)</translation>
    </message>
    <message>
        <source>z kart towarów w Optimie (Twr_WagaKG)</source>
        <translation>from Optima&apos;s item cards (Twr_WagaKG)</translation>
    </message>
    <message>
        <source>Waga towarów:</source>
        <translation>Item weights:</translation>
    </message>
    <message>
        <source>Jednostka wagi w sklepie:</source>
        <translation>The shop&apos;s weight unit:</translation>
    </message>
    <message>
        <source>Opakowanie:</source>
        <translation>Packaging:</translation>
    </message>
    <message>
        <source>Towar bez podanej wagi:</source>
        <translation>An item without a weight:</translation>
    </message>
    <message>
        <source>Wysyłka</source>
        <translation>Shipping</translation>
    </message>
    <message>
        <source>Metody wysyłki powtarzają się: {methods}.</source>
        <translation>Shipping methods appear more than once: {methods}.</translation>
    </message>
</context>
<context>
    <name>ShopBox</name>
    <message>
        <source>Sklep WooCommerce</source>
        <translation>WooCommerce shop</translation>
    </message>
    <message>
        <source>https://sklep.pl</source>
        <translation>https://shop.example.com</translation>
    </message>
    <message>
        <source>wyłączone</source>
        <translation>off</translation>
    </message>
    <message>
        <source>Port odbiornika webhooków WooCommerce (za przekaźnikiem lub proxy); webhooki tylko przyspieszają odczyt zamówień</source>
        <translation>Port of the WooCommerce webhook receiver (behind a relay or proxy); webhooks only make orders arrive sooner</translation>
    </message>
    <message>
        <source>Adres sklepu:</source>
        <translation>Shop address:</translation>
    </message>
    <message>
        <source>Klucz klienta:</source>
        <translation>Consumer key:</translation>
    </message>
    <message>
        <source>Klucz tajny:</source>
        <translation>Consumer secret:</translation>
    </message>
    <message>
        <source>Webhooki, port:</source>
        <translation>Webhooks, port:</translation>
    </message>
    <message>
        <source>Sekret webhooków:</source>
        <translation>Webhook secret:</translation>
    </message>
</context>
<context>
    <name>SmtpBox</name>
    <message>
        <source>Poczta (SMTP)</source>
        <translation>Mail (SMTP)</translation>
    </message>
    <message>
        <source>smtp.twojadomena.pl</source>
        <translation>smtp.yourdomain.com</translation>
    </message>
    <message>
        <source>STARTTLS (zwykle port 587)</source>
        <translation>STARTTLS (usually port 587)</translation>
    </message>
    <message>
        <source>SSL/TLS (zwykle port 465)</source>
        <translation>SSL/TLS (usually port 465)</translation>
    </message>
    <message>
        <source>bez szyfrowania</source>
        <translation>no encryption</translation>
    </message>
    <message>
        <source>sklep@twojadomena.pl</source>
        <translation>shop@yourdomain.com</translation>
    </message>
    <message>
        <source>adresy po przecinku, np. archiwum@twojadomena.pl</source>
        <translation>comma-separated addresses, e.g. archive@yourdomain.com</translation>
    </message>
    <message>
        <source>Serwer:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Zabezpieczenie:</source>
        <translation>Security:</translation>
    </message>
    <message>
        <source>Login:</source>
        <translation>Login:</translation>
    </message>
    <message>
        <source>Hasło:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Nadawca:</source>
        <translation>Sender:</translation>
    </message>
    <message>
        <source>Odpowiedz do:</source>
        <translation>Reply to:</translation>
    </message>
    <message>
        <source>Kopia ukryta (BCC):</source>
        <translation>Blind copy (BCC):</translation>
    </message>
</context>
<context>
    <name>Stage</name>
    <message>
        <source>Nowe</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Czeka na płatność</source>
        <translation>Awaiting payment</translation>
    </message>
    <message>
        <source>W realizacji</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Do spakowania</source>
        <translation>Ready to pack</translation>
    </message>
    <message>
        <source>Spakowane</source>
        <translation>Packed</translation>
    </message>
    <message>
        <source>Wyjątek</source>
        <translation>Exception</translation>
    </message>
    <message>
        <source>Anulowane</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>StationsPage</name>
    <message>
        <source>Stanowisko</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>Drukarka etykiet</source>
        <translation>Label printer</translation>
    </message>
    <message>
        <source>Adres drukarki etykiet, np. zpl://192.168.1.50:9100</source>
        <translation>The label printer&apos;s address, e.g. zpl://192.168.1.50:9100</translation>
    </message>
    <message>
        <source>Drukarka dokumentów</source>
        <translation>Document printer</translation>
    </message>
    <message>
        <source>Faktury przy ponownym wydruku; puste: drukarka etykiet</source>
        <translation>Invoices when reprinting; empty: the label printer</translation>
    </message>
    <message>
        <source>Skanuj każdy towar</source>
        <translation>Scan every item</translation>
    </message>
    <message>
        <source>Przycisk pakowania działa dopiero po zeskanowaniu EAN każdej sztuki</source>
        <translation>The packing button works only after every piece&apos;s EAN has been scanned</translation>
    </message>
    <message>
        <source>Klawisz pakowania</source>
        <translation>Packing key</translation>
    </message>
    <message>
        <source>Dodatkowy klawisz pakowania obok Enter, np. F12 (pedał)</source>
        <translation>An extra packing key besides Enter, e.g. F12 (foot pedal)</translation>
    </message>
    <message>
        <source>Dodaj stanowisko</source>
        <translation>Add station</translation>
    </message>
    <message>
        <source>Usuń stanowisko</source>
        <translation>Remove station</translation>
    </message>
    <message>
        <source>Testuj drukarkę etykiet</source>
        <translation>Test label printer</translation>
    </message>
    <message>
        <source>Testuj drukarkę dokumentów</source>
        <translation>Test document printer</translation>
    </message>
    <message>
        <source>Sprawdź drukarki zaznaczonego stanowiska (nic nie zostanie wydrukowane):</source>
        <translation>Check the selected station&apos;s printers (nothing will be printed):</translation>
    </message>
    <message>
        <source>Adresy drukarek: {supported}.</source>
        <translation>Printer addresses: {supported}.</translation>
    </message>
    <message>
        <source>Stanowiska i baza</source>
        <translation>Stations and database</translation>
    </message>
    <message>
        <source>Konsola</source>
        <translation>Console</translation>
    </message>
    <message>
        <source>Język:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>PIN kierownika</source>
        <translation>Manager PIN</translation>
    </message>
    <message>
        <source>nowy PIN (co najmniej {n} znaki); puste: bez zmian</source>
        <translation>new PIN (at least {n} characters); empty: unchanged</translation>
    </message>
    <message>
        <source>Usuń PIN</source>
        <translation>Remove PIN</translation>
    </message>
    <message>
        <source>PIN jest ustawiony.</source>
        <translation>A PIN is set.</translation>
    </message>
    <message>
        <source>Bez PIN-u: każdy może wszystko.</source>
        <translation>No PIN: anyone can do anything.</translation>
    </message>
    <message>
        <source>Nazwy stanowisk powtarzają się: {names}.</source>
        <translation>Station names appear more than once: {names}.</translation>
    </message>
    <message>
        <source>Stanowisko {name}: nieznany klawisz pakowania „{key}” (np. F12, Ctrl+P).</source>
        <translation>Station {name}: unknown packing key “{key}” (e.g. F12, Ctrl+P).</translation>
    </message>
</context>
<context>
    <name>StepState</name>
    <message>
        <source>czeka</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>w toku</source>
        <translation>in progress</translation>
    </message>
    <message>
        <source>gotowe</source>
        <translation>done</translation>
    </message>
    <message>
        <source>błąd</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>pominięte</source>
        <translation>skipped</translation>
    </message>
    <message>
        <source>anulowane</source>
        <translation>cancelled</translation>
    </message>
</context>
<context>
    <name>StoreBox</name>
    <message>
        <source>Ten komputer i baza konsoli</source>
        <translation>This computer and the console&apos;s database</translation>
    </message>
    <message>
        <source>tak: prowadzi silnik albo czuwa, gdy prowadzi go inny komputer</source>
        <translation>yes: runs the engine, or stands by while another computer runs it</translation>
    </message>
    <message>
        <source>nie: tylko pakowanie i zarządzanie (silnik działa gdzie indziej)</source>
        <translation>no: packing and managing only (the engine runs elsewhere)</translation>
    </message>
    <message>
        <source>Po tylu sekundach bez sygnału od aktywnego silnika przejmuje go czuwający komputer</source>
        <translation>After this many seconds without a heartbeat from the active engine, a standby computer takes over</translation>
    </message>
    <message>
        <source>puste: plik SQLite na tym komputerze</source>
        <translation>empty: an SQLite file on this computer</translation>
    </message>
    <message>
        <source>Nazwa stanowiska:</source>
        <translation>Station name:</translation>
    </message>
    <message>
        <source>Silnik na tym komputerze:</source>
        <translation>Engine on this computer:</translation>
    </message>
    <message>
        <source>Przejęcie silnika po:</source>
        <translation>Engine takeover after:</translation>
    </message>
    <message>
        <source>Wspólna baza (URL):</source>
        <translation>Shared database (URL):</translation>
    </message>
    <message>
        <source>Hasło bazy:</source>
        <translation>Database password:</translation>
    </message>
    <message>
        <source>Kilka komputerów: ta sama baza PostgreSQL (postgresql+psycopg://użytkownik@serwer/linkoptima) albo osobna baza na SQL Serverze Optimy (mssql+pyodbc://…). Zmiany działają po ponownym uruchomieniu.</source>
        <translation>Several computers: the same PostgreSQL database (postgresql+psycopg://user@server/linkoptima) or a database of its own on Optima&apos;s SQL Server (mssql+pyodbc://…). Changes take effect after a restart.</translation>
    </message>
</context>
<context>
    <name>TableEditor</name>
    <message>
        <source>Usuń zaznaczony</source>
        <translation>Remove selected</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <source>Wybierz zamówienie, aby zobaczyć jego historię.</source>
        <translation>Select an order to see its history.</translation>
    </message>
    <message>
        <source>Otwórz fakturę</source>
        <translation>Open invoice</translation>
    </message>
    <message>
        <source>Otwórz etykietę</source>
        <translation>Open label</translation>
    </message>
    <message>
        <source>Otwórz korektę</source>
        <translation>Open correction</translation>
    </message>
    <message>
        <source>Nie ma już tego zamówienia.</source>
        <translation>This order no longer exists.</translation>
    </message>
    <message>
        <source>Historia zamówienia {number}</source>
        <translation>History of order {number}</translation>
    </message>
    <message>
        <source>Nie można otworzyć dokumentu: {error}</source>
        <translation>Cannot open the document: {error}</translation>
    </message>
</context>
<context>
    <name>launch</name>
    <message>
        <source>Nie udało się go przenieść; zapis ustawień go zastąpi.</source>
        <translation>It could not be moved; saving the settings will replace it.</translation>
    </message>
    <message>
        <source>Zachowano go jako %1; wprowadź ustawienia ponownie.</source>
        <translation>It was kept as %1; please enter the settings again.</translation>
    </message>
    <message>
        <source>Plik ustawień nie nadaje się do użycia.</source>
        <translation>The settings file cannot be used.</translation>
    </message>
</context>
<context>
    <name>view</name>
    <message>
        <source>LinkOptima — ustawienia połączeń</source>
        <translation>LinkOptima — connection settings</translation>
    </message>
</context>
</TS>
