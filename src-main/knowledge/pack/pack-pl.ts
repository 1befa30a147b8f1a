import { archetypeCuesPl, objectionCuesPl } from './cues-pl';
import { archetypeEntry, archetypeQuestion, categoryQuestion, objectionEntry, playbookEntry, responseEntry, type PackEntry } from './types';

/**
 * Domyślny pakiet polski. Przykładowa dziedzina: sprzedaż samochodów elektrycznych (tylko dane).
 * Cue lists carry the inflected forms whose stem changes (drogo / drożej), see src-shared/coaching/stem.ts.
 */
export const packPl: PackEntry[] = [
  // ---- Archetypy ------------------------------------------------------------------------------
  archetypeEntry('analytical', 'Analityk', 'Decyduje na podstawie faktów. Pyta o parametry, liczby i porównania, czyta dokumentację, nie lubi presji. Dawaj dane, źródła i czas; unikaj superlatywów.', archetypeCuesPl.analytical),
  archetypeEntry('driver', 'Decydent (dominujący)', 'Chce wyników i kontroli. Ma mało czasu, nie znosi pogawędek, decyduje szybko, gdy zna sedno. Mów krótko, dawaj opcje i pozwól wybrać.', archetypeCuesPl.driver),
  archetypeEntry('amiable', 'Przyjazny (relacyjny)', 'Ceni relacje, bezpieczeństwo i zgodę. Musi czuć się komfortowo, często angażuje rodzinę, unika ryzyka i konfliktu. Buduj zaufanie powoli, uspokajaj, włączaj ważne dla niego osoby.', archetypeCuesPl.amiable),
  archetypeEntry('expressive', 'Ekspresyjny', 'Entuzjastyczny i wzrokowy, kupuje historię i wizerunek. Mówi o wyglądzie, frajdzie i o tym, co pomyślą inni. Pokaż wizję, daj spróbować, szczegóły zostaw na później.', archetypeCuesPl.expressive),
  archetypeEntry('skeptic', 'Sceptyk', 'Podważa deklaracje i szuka haczyka. Cytuje złe opinie i zasłyszane historie, testuje sprzedawcę. Bądź transparentny, pokazuj dowody, przyznawaj ograniczenia, nie przesadzaj.', archetypeCuesPl.skeptic),
  archetypeEntry('bargain_hunter', 'Łowca okazji', 'Skupiony na cenie i dodatkach, negocjuje wszystko, porównuje oferty i czeka na promocje. Zakotwicz na wartości, wymieniaj ustępstwa na zobowiązania, korzystaj z promocji.', archetypeCuesPl.bargain_hunter),

  // ---- Obiekcje (tytuł = typowe zdanie klienta; tagi = frazy sygnałowe) --------------------------------
  objectionEntry('price', 1, 'To jest za drogie.', 'Cena przekracza oczekiwania klienta albo nie umie jej uzasadnić. Zwykle to pytanie o wartość: klient jeszcze nie widzi, dlaczego warto, albo porównuje z niewłaściwym punktem odniesienia.', objectionCuesPl.price),
  objectionEntry('price', 2, 'Da się coś zejść z ceny?', 'Klient negocjuje: chce rabatu lub dodatków przed decyzją. Każde ustępstwo wymieniaj na zobowiązanie.'),
  objectionEntry('timing', 1, 'Nie teraz, może później.', 'Klient odkłada decyzję. Sprawdź, czy to realne ograniczenie (termin, umowa, pieniądze później), czy uprzejme „nie”, za którym kryje się inna obiekcja.', objectionCuesPl.timing),
  objectionEntry('timing', 2, 'Zastanowię się i dam znać.', 'Odłożenie bez terminu. Zgódź się, zapytaj, co dokładnie wymaga namysłu, i ustalcie wspólnie następny krok.'),
  objectionEntry('competitor', 1, 'Mam lepszą ofertę gdzie indziej.', 'Klient porównuje z innym salonem lub marką. Dowiedz się, co dokładnie jest w ofercie, porównaj to samo z tym samym i pokaż, czego tamta oferta nie zawiera.', objectionCuesPl.competitor),
  objectionEntry('competitor', 2, 'Tamta marka ma większy zasięg za te pieniądze.', 'Konkretne porównanie jednej cechy. Uznaj je, a potem poszerz porównanie na całkowitą wartość.'),
  objectionEntry('trust', 1, 'Nie jestem pewien, czy mogę temu ufać.', 'Klient wątpi w produkt, markę albo sprzedawcę: niezawodność, żywotność baterii, wartość odsprzedaży, ukryte koszty. Działają dowody i przejrzystość, nie presja.', objectionCuesPl.trust),
  objectionEntry('trust', 2, 'Słyszałem, że baterie padają po kilku latach.', 'Obawa oparta na zasłyszanej opinii. Zastąp plotkę danymi i warunkami gwarancji.'),
  objectionEntry('need', 1, 'Właściwie tego nie potrzebuję.', 'Klient nie widzi powodu do zmiany: obecne rozwiązanie działa. Odkryj koszt pozostania przy tym, co jest, i co musiałoby się zmienić, żeby działać.', objectionCuesPl.need),
  objectionEntry('need', 2, 'Moje obecne auto jest w porządku.', 'Status quo. Policz, ile kosztuje obecne auto i czego klientowi brakuje.'),
  objectionEntry('authority', 1, 'Muszę to omówić z żoną.', 'Decyzję podejmuje lub współdzieli ktoś inny: partner, szef, zarząd, księgowa. Ułatw klientowi „sprzedanie” tego u siebie albo zaproś decydenta.', objectionCuesPl.authority),
  objectionEntry('authority', 2, 'Zarząd musi to zatwierdzić.', 'Decyzja firmowa. Ustal, kto decyduje, według jakich kryteriów i kiedy; przygotuj materiał, który można przekazać dalej.'),
  objectionEntry('financing', 1, 'Raty są za wysokie.', 'Klient może zapłacić, ale nie w tej strukturze: raty, wkład własny, warunki leasingu, zdolność kredytowa. Zmień finansowanie, a nie cenę.', objectionCuesPl.financing),
  objectionEntry('financing', 2, 'I tak nie dostanę kredytu.', 'Obawa o zdolność kredytową. Zaproponuj alternatywy: leasing, dłuższy okres, bank partnerski, mniejszy wkład.'),
  objectionEntry('product_fit', 1, 'Zasięg mi nie wystarczy.', 'Produkt nie pasuje do konkretnego użycia: zasięg, ładowanie w domu, miejsce, holowanie, zima. Sprawdź faktyczny sposób jazdy, zanim odpowiesz; czasem pasuje inny model.', objectionCuesPl.product_fit),
  objectionEntry('product_fit', 2, 'Nie mam gdzie go ładować.', 'Praktyczna bariera. Zanim zaczniesz o czymkolwiek innym, sprawdź możliwości ładowania w domu i w pracy.'),

  // ---- Odpowiedzi: co najmniej trzy na kategorię ----------------------------------------------------
  responseEntry('price', 1, 'Przenieś rozmowę na całkowity koszt posiadania', 'Rozumiem, to spora kwota. Porównajmy koszt w ciągu pięciu lat: prąd zamiast paliwa, prawie zerowy serwis, niższe podatki. U większości kierowców miesięcznie wychodzi taniej niż obecne auto. Policzyć to dla Pana przebiegu?'),
  responseEntry('price', 2, 'Wyizoluj obiekcję cenową', 'Gdyby cena była dla Pana odpowiednia, czy to jest auto, które by Pan wybrał? ... W takim razie zobaczmy, co możemy zrobić: konfiguracja, obecna promocja albo finansowanie dopasowane do budżetu.'),
  responseEntry('price', 3, 'Pokaż wartość stojącą za ceną', 'W porównaniu z czym dokładnie? Ta cena obejmuje pompę ciepła, 8 lat gwarancji na baterię i domową ładowarkę. Jeśli odejmiemy to od tamtej oferty, różnica znika. Co z tego jest dla Pana najważniejsze?', 'analytical'),
  responseEntry('price', 4, 'Wymień ustępstwo na zobowiązanie', 'Nie mogę po prostu obniżyć ceny, ale jeśli zdecyduje się Pan w tym tygodniu, dorzucę komplet opon zimowych z obecnej promocji. Czy tak to będzie dla Pana do przyjęcia?', 'bargain_hunter'),
  responseEntry('timing', 1, 'Znajdź powód „później”', 'Oczywiście, to duża decyzja. Żeby łatwiej było to przemyśleć: co musiałoby być inaczej za trzy miesiące, żeby decyzja była prostsza niż dziś?'),
  responseEntry('timing', 2, 'Pokaż koszt czekania', 'Rozsądnie to zaplanować. Tylko dla informacji: obecna promocja kończy się z końcem miesiąca, a dostawa trwa sześć tygodni. Rezerwacja teraz blokuje cenę bez zobowiązań. Sprawdzić termin dostawy?'),
  responseEntry('timing', 3, 'Umów konkretny następny krok', 'Nie ma problemu. Ustalmy termin: dziś wyślę ofertę, a w czwartek zadzwonię odpowiedzieć na pytania, które się pojawią. Pasuje czwartek po południu?'),
  responseEntry('competitor', 1, 'Porównaj to samo z tym samym', 'Dobrze, że Pan porównuje. Może Pan pokazać, co jest w ich ofercie? Zestawmy obie obok siebie: wyposażenie, gwarancja, ładowanie, serwis i cena po wszystkich dodatkach. Wtedy zobaczy Pan realną różnicę.'),
  responseEntry('competitor', 2, 'Zapytaj, co się podobało', 'Co Panu się podobało w ich ofercie? ... To znaczy, że to dla Pana ważne. Tak to rozwiązujemy u nas, a to dostaje Pan dodatkowo, czego oni nie mają.'),
  responseEntry('competitor', 3, 'Wyróżnij się tym, co ważne dla klienta', 'To dobra marka. Klienci, którzy wybrali nas zamiast nich, zwykle wymieniają trzy rzeczy: gwarancję na baterię, serwis blisko domu i wartość przy odsprzedaży. Co z tego jest dla Pana najważniejsze?'),
  responseEntry('trust', 1, 'Zastąp plotkę danymi', 'To uzasadniona obawa. Dane z aut na drogach pokazują, że po 200 000 km baterie zachowują średnio ok. 90% pojemności, a bateria ma gwarancję 8 lat lub 160 000 km. Mogę pokazać warunki gwarancji na piśmie.'),
  responseEntry('trust', 2, 'Dowody zamiast obietnic', 'Nie musi Pan wierzyć mi na słowo. Proszę wziąć auto na dobową jazdę próbną, naładować je w domu i porozmawiać z naszym klientem, który jeździ tym modelem. Czy to pomoże?', 'skeptic'),
  responseEntry('trust', 3, 'Mów otwarcie o ograniczeniach', 'Powiem szczerze: w mroźną zimę zasięg spada o 20–30%. Dlatego chcę sprawdzić Pana codzienne trasy: jeśli zimą mieszczą się z zapasem, jest Pan bezpieczny cały rok. Jaka jest Pana najdłuższa regularna trasa?'),
  responseEntry('need', 1, 'Policz koszt status quo', 'Obecne auto działa, rozumiem. Ile miesięcznie wydaje Pan na paliwo i serwis? ... W skali roku to różnica, która pokrywa dużą część raty.'),
  responseEntry('need', 2, 'Zapytaj, co uzasadniłoby zmianę', 'Gdyby kiedyś zmieniał Pan auto, co nowe musiałoby robić lepiej niż obecne?'),
  responseEntry('need', 3, 'Połącz z przyszłą potrzebą', 'Wielu naszych klientów kupiło, zanim „musieli”, z powodu stref czystego transportu i cen paliwa. Czy coś z tego dotyczy Pana w najbliższych latach?'),
  responseEntry('authority', 1, 'Zaproś osobę decyzyjną', 'To rozsądne, to decyzja rodzinna. Może przyjdą Państwo razem na jazdę próbną w sobotę? Żona będzie mogła zadać swoje pytania bezpośrednio.'),
  responseEntry('authority', 2, 'Wyposaż klienta do rozmowy wewnętrznej', 'Oczywiście. Co będzie dla nich najważniejsze? Przygotuję jednostronicowe podsumowanie dokładnie z tymi punktami i liczbami, żeby rozmowa była łatwa.'),
  responseEntry('authority', 3, 'Poznaj proces decyzji', 'Kto jeszcze bierze udział w decyzji i na co spojrzy najpierw? Kiedy planują Państwo zdecydować? Wtedy dopilnuję, żeby miał Pan wszystko na czas.'),
  responseEntry('financing', 1, 'Zmień strukturę, nie cenę', 'Zmieńmy strukturę: przy dłuższym okresie albo wyższej racie balonowej miesięczna rata wyraźnie spada. Jaka kwota miesięczna byłaby komfortowa?'),
  responseEntry('financing', 2, 'Zaproponuj alternatywę dla kredytu', 'Jeśli problemem jest kredyt, leasing albo abonament może być prostszy: niższy wkład, serwis w cenie i łatwiejsza decyzja finansującego. Policzyć obie opcje?'),
  responseEntry('financing', 3, 'Skorzystaj z banku partnerskiego', 'Współpracujemy z bankiem, który wstępnie akceptuje wniosek w 15 minut bez wpływu na historię kredytową. Sprawdzimy teraz, bez zobowiązań?'),
  responseEntry('product_fit', 1, 'Sprawdź realny sposób jazdy', 'Zobaczmy, jak Pan faktycznie jeździ: ile kilometrów dziennie i jak często dłuższe trasy? Większość osób przekonuje się, że realny zasięg wystarcza na tydzień dojazdów.'),
  responseEntry('product_fit', 2, 'Pokaż możliwości ładowania', 'Gdzie auto stoi w nocy? ... Nawet bez garażu są opcje: ładowarka w pracy, szybkie ładowarki w okolicy i nasza darmowa karta ładowania na pierwszy rok. Pokażę mapę wokół Pana adresu.'),
  responseEntry('product_fit', 3, 'Zaproponuj model, który pasuje', 'Jeśli ciągnie Pan przyczepę albo potrzebuje więcej miejsca, lepiej pasuje większy model: większy zasięg i hak o uciągu 1600 kg. Porównamy oba?'),

  // ---- Pytania odkrywające ----------------------------------------------------------------------------
  categoryQuestion('price', 'Jaki budżet Pan zakłada: kwotę całkowitą czy miesięczną?'),
  categoryQuestion('timing', 'Co musi się wydarzyć, zanim podejmie Pan decyzję, i do kiedy?'),
  categoryQuestion('competitor', 'Co dokładnie zawierała tamta oferta i co się w niej Panu podobało?'),
  categoryQuestion('trust', 'Co musiałby Pan zobaczyć lub usłyszeć, żeby mieć pewność?'),
  categoryQuestion('need', 'Co najbardziej przeszkadza Panu w obecnym aucie?'),
  categoryQuestion('authority', 'Kto jeszcze bierze udział w decyzji i co jest dla tej osoby najważniejsze?'),
  categoryQuestion('financing', 'Jak woli Pan zapłacić: gotówka, kredyt, leasing czy abonament?'),
  categoryQuestion('product_fit', 'Jak wygląda typowy tydzień z autem i jaka jest najdłuższa regularna trasa?'),
  archetypeQuestion('analytical', 'Które liczby porównamy najpierw: zasięg, zużycie energii czy całkowity koszt?'),
  archetypeQuestion('driver', 'Jakiego efektu oczekuje Pan od nowego auta i na kiedy?'),
  archetypeQuestion('amiable', 'Kto będzie najczęściej jeździł tym autem i co sprawi, że wszyscy poczują się z nim dobrze?'),
  archetypeQuestion('expressive', 'Proszę sobie wyobrazić jazdę tym autem: co w tym sprawia największą frajdę?'),
  archetypeQuestion('skeptic', 'Co słyszał Pan o autach elektrycznych, co budzi obawy? Sprawdźmy to razem.'),
  archetypeQuestion('bargain_hunter', 'Poza ceną: co sprawiłoby, że ta oferta będzie wyraźnie lepsza od innych?'),

  // ---- Playbooki ------------------------------------------------------------------------------------
  playbookEntry('analytical', 'Playbook: klient analityczny', [
    'Zacznij od planu rozmowy i zapytaj, ile szczegółów klient chce.',
    'Zbadaj użytkowanie liczbami: kilometry, trasy, dostęp do ładowania, obecne koszty.',
    'Przedstaw porównanie na piśmie (parametry, koszt w pięć lat) i daj czas na lekturę.',
    'Na obiekcje odpowiadaj danymi i źródłami; nigdy nie zgaduj liczb.',
    'Zamknij podsumowaniem faktów i jasnym krokiem o niskim ryzyku (jazda próbna lub oferta na piśmie).',
  ]),
  playbookEntry('driver', 'Playbook: decydent', [
    'Pomiń pogawędki: powiedz, po co jest rozmowa i ile potrwa.',
    'Zapytaj o cel i termin w jednym pytaniu.',
    'Daj dwie–trzy opcje, każdą z konkretem.',
    'Na obiekcje odpowiadaj krótko i oddaj kontrolę: „Którą opcję Pan wybiera?”',
    'Zamykaj wprost: zamówienie dziś i termin odbioru.',
  ]),
  playbookEntry('amiable', 'Playbook: klient relacyjny', [
    'Poświęć czas na relację; zapytaj o rodzinę i o to, jak używają auta.',
    'Ustal, kto jeszcze uczestniczy w decyzji i co daje wszystkim poczucie bezpieczeństwa.',
    'Pokaż bezpieczeństwo, komfort i doświadczenia podobnych rodzin.',
    'Obawy rozwiewaj spokojnie i gwarancjami; zaproś partnera na jazdę próbną.',
    'Zamykaj łagodnie: rezerwacja bez ryzyka i wspólnie ustalone kolejne spotkanie.',
  ]),
  playbookEntry('expressive', 'Playbook: klient ekspresyjny', [
    'Dopasuj energię i pozwól mówić o tym, co ekscytuje.',
    'Poznaj historię: co klient chce czuć i pokazać nowym autem.',
    'Prezentuj zmysłami: jazda próbna, kolory, nagłośnienie, przyspieszenie.',
    'Na obiekcje odpowiadaj, wracając do wizji; szczegóły krótko i na piśmie.',
    'Zamykaj na emocji: „Rezerwujemy ten kolor, który się Panu spodobał?”',
  ]),
  playbookEntry('skeptic', 'Playbook: sceptyk', [
    'Otwarcie uznaj sceptycyzm i zaproś do trudnych pytań.',
    'Dowiedz się, jakie dokładnie są wątpliwości i skąd się wzięły.',
    'Pokaż dowody: gwarancja na piśmie, niezależne testy, referencje klientów.',
    'Na obiekcje odpowiadaj, przyznając ograniczenia i pokazując dane; nie przesadzaj.',
    'Zamknij krokiem o niskim ryzyku: dłuższa jazda próbna albo rezerwacja z możliwością rezygnacji.',
  ]),
  playbookEntry('bargain_hunter', 'Playbook: łowca okazji', [
    'Ustal ramę od początku: najpierw wartość, potem cena.',
    'Dowiedz się, co klient porównuje i które dodatki ceni najbardziej.',
    'Przedstaw cały pakiet i jego wartość w złotówkach (gwarancja, ładowarka, serwis).',
    'Na naciski cenowe wymieniaj ustępstwa na zobowiązania; korzystaj z bieżących promocji.',
    'Zamykaj terminem, który promocja naprawdę ma: „Jeśli podpiszemy w tym tygodniu, dodatki są w cenie.”',
  ]),

  // ---- Produkty, konkurencja, promocje ---------------------------------------------------------------
  { key: 'product.volta-city', kind: 'product', title: 'Volta City (kompaktowy EV)', body: 'Kompaktowy hatchback. Bateria 52 kWh, ok. 390 km zasięgu WLTP, szybkie ładowanie 10–80% w 30 minut, pompa ciepła w standardzie, gwarancja na baterię 8 lat / 160 000 km. Do dojazdów i miasta.', tags: ['kompakt', 'miasto', 'dojazdy'], facts: { range: 'ok. 390 km WLTP, zimą ok. 290 km', warranty: '8 lat / 160 000 km na baterię', charging: '10–80% w 30 minut na szybkiej ładowarce; w nocy z domowego wallboxa', space: 'bagażnik 380 l', price: 159900, currency: 'PLN' } },
  { key: 'product.volta-family', kind: 'product', title: 'Volta Family (SUV)', body: 'Rodzinny SUV. Bateria 77 kWh, ok. 520 km zasięgu WLTP, bagażnik 540 l, hak o uciągu 1600 kg, ISOFIX na trzech miejscach. Dla rodzin i na długie trasy.', tags: ['suv', 'rodzina', 'hak', 'zasięg'], facts: { range: 'ok. 520 km WLTP, zimą ok. 390 km', warranty: '8 lat / 160 000 km na baterię', charging: '10–80% w 28 minut; 11 kW z domowego wallboxa', space: 'bagażnik 540 l, hak o uciągu 1600 kg', price: 219900, currency: 'PLN' } },
  { key: 'product.volta-van', kind: 'product', title: 'Volta Van (dostawczy)', body: 'Elektryczny dostawczak dla firm. 75 kWh, ok. 330 km zasięgu z ładunkiem, 6,6 m³ przestrzeni ładunkowej, telematyka flotowa. Leasing dla firm z serwisem w cenie.', tags: ['dostawczy', 'firma', 'flota'], facts: { range: 'ok. 330 km z ładunkiem', warranty: '8 lat / 160 000 km na baterię', charging: '10–80% w 35 minut', space: '6,6 m³ przestrzeni ładunkowej', price: 189900, currency: 'PLN' } },
  { key: 'competitor.nordic-ev5', kind: 'competitor', title: 'Nordic Motors EV5', body: 'Konkurencyjny SUV. Na papierze nieco większy zasięg, ale krótsza gwarancja na baterię (5 lat), brak pompy ciepła w wersji bazowej i mniej serwisów w regionie.', tags: ['konkurencja', 'suv', 'nordic', 'ev5'], facts: { advantage: 'nasza gwarancja na baterię to 8 lat zamiast 5, pompa ciepła jest w standardzie i mamy więcej serwisów w okolicy' } },
  { key: 'competitor.kairo-k3', kind: 'competitor', title: 'Kairo K3', body: 'Tani kompaktowy EV. Niższa cena katalogowa, wolniejsze ładowanie (50 kW), podstawowe wyposażenie bezpieczeństwa, niższa wartość odsprzedaży po trzech latach.', tags: ['konkurencja', 'kompakt', 'tani', 'kairo', 'k3'], facts: { advantage: 'nasze szybkie ładowanie jest dwa razy szybsze, wyposażenie bezpieczeństwa pełne, a auto po trzech latach jest warte więcej' } },
  { key: 'competitor.used-diesel', kind: 'competitor', title: 'Pozostanie przy używanym dieslu', body: 'Status quo. Brak wydatku teraz, ale rosnące koszty paliwa i napraw, nadchodzące strefy czystego transportu i spadająca wartość diesli.', tags: ['status quo', 'diesel'], facts: { advantage: 'paliwo i naprawy drożeją, a auto elektryczne kosztuje mniej na kilometr i nie dotyczą go strefy czystego transportu' } },
  { key: 'promotion.leasing-zero', kind: 'promotion', title: 'Leasing 0% na 24 miesiące', body: 'Leasing z oprocentowaniem 0% na 24 miesiące przy wpłacie 10%, dla klientów prywatnych i firm.', tags: ['leasing', 'finansowanie'], facts: { validFrom: '2026-10-01', validUntil: '2027-03-31', amount: 0, currency: '%' } },
  { key: 'promotion.free-charger', kind: 'promotion', title: 'Domowa ładowarka z montażem gratis', body: 'Wallbox i standardowy montaż w cenie każdego zamówienia podpisanego w czasie promocji.', tags: ['ładowarka', 'ładowanie'], facts: { validFrom: '2026-12-01', validUntil: '2027-06-30', amount: 4500, currency: 'PLN' } },
  { key: 'promotion.winter-pack', kind: 'promotion', title: 'Opony zimowe przy wczesnym zamówieniu', body: 'Komplet opon zimowych na felgach przy zamówieniach podpisanych w czasie promocji.', tags: ['dodatki', 'zima'], facts: { validFrom: '2026-11-01', validUntil: '2027-02-28', amount: 3200, currency: 'PLN' } },
];
